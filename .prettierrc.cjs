// Prettier settings, used by the prettier-xml hook of .pre-commit-config.yaml
// for the addons' XML (data, views, QWeb).
//
// A JavaScript config rather than .prettierrc.yml: prettier 3 looks a plugin
// named in a YAML/JSON config up from the repository's directory only, while
// pre-commit installs prettier and @prettier/plugin-xml in an environment of
// its own; require.resolve() finds the plugin there (through NODE_PATH).
module.exports = {
  plugins: [require.resolve("@prettier/plugin-xml")],
  printWidth: 88,
  tabWidth: 4,
  // "strict" never touches text content: field values, domains and server
  // action code stay byte for byte what they are
  xmlWhitespaceSensitivity: "strict",
  xmlSelfClosingSpace: true,
  bracketSameLine: false,
};
