// @ts-check
/** @type {import('@docusaurus/plugin-content-docs').SidebarsConfig} */
const sidebars = {
  docs: ['intro', 'widgets'],
};

module.exports = sidebars;
