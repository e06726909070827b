// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

// Served under /docs: the e2e test serves dist/ (this site) at /docs/ and the
// project's own dist/ (the Dealer Book files) at /docs/dealer-book/.
export default defineConfig({
	base: '/docs',
	trailingSlash: 'always',
	integrations: [
		starlight({
			title: 'Dealer Book e2e (Starlight)',
			pagefind: false,
			head: [
				// Site-wide loader, a module script, with the base path written out.
				{ tag: 'script', attrs: { type: 'module', src: '/docs/dealer-book/dealer-book.js' } },
			],
			sidebar: [
				{ label: 'Introduction', slug: 'index' },
				{ label: 'Widgets', slug: 'widgets' },
			],
		}),
	],
});
