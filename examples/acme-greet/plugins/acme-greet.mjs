// Lets `weft test` and `weft docs plugins` in this folder use the package's own build:
// Weft loads every .mjs file in a repository's plugins/ folder. Not published (see "files").
export { default } from "../dist/index.js";
