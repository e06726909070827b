// @ts-check
// Minimal Docusaurus site for the Dealer Book end-to-end tests.
// Served under /docs/: the test serves build/ (this site) at /docs/ and the
// project's own dist/ (the Dealer Book files) at /docs/dealer-book/.

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'Dealer Book e2e (Docusaurus)',
  url: 'http://127.0.0.1',
  baseUrl: '/docs/',
  trailingSlash: true,
  favicon: 'favicon.svg',
  onBrokenLinks: 'throw',
  i18n: { defaultLocale: 'en', locales: ['en'] },

  // Site-wide loader as a module script.
  scripts: [{ src: '/docs/dealer-book/dealer-book.js', type: 'module' }],

  presets: [
    [
      'classic',
      /** @type {import('@docusaurus/preset-classic').Options} */
      ({
        docs: {
          routeBasePath: '/',
          sidebarPath: './sidebars.js',
        },
        blog: false,
        pages: false,
        theme: {},
      }),
    ],
  ],

  themeConfig:
    /** @type {import('@docusaurus/preset-classic').ThemeConfig} */
    ({
      colorMode: {
        defaultMode: 'light',
        disableSwitch: false,
        respectPrefersColorScheme: true,
      },
      navbar: {
        title: 'Dealer Book e2e',
        items: [{ type: 'doc', docId: 'widgets', position: 'left', label: 'Widgets' }],
      },
    }),
};

module.exports = config;
