import { defineError } from "../errors.js";

// Problems loading plugins at start-up. Each names the file or package and what to do; one
// bad plugin never stops the others from loading.
export const PluginError = {
  importFailed: defineError("WEFT_PLUGIN_IMPORT_FAILED", "cannot import {file}: {reason}"),
  importTimeout: defineError(
    "WEFT_PLUGIN_IMPORT_TIMEOUT",
    "importing {file} did not finish within {ms} ms; a plugin module must not wait at top level (move slow work into run(ctx))",
  ),
  notInstalled: defineError("WEFT_PLUGIN_NOT_FOUND", "{reason}"),
  badExport: defineError(
    "WEFT_PLUGIN_BAD_EXPORT",
    "{file} must `export default` a step type (defineStep) or a plugin (definePlugin); {found}",
  ),
  needsPlugin: defineError(
    "WEFT_PLUGIN_NOT_A_PLUGIN",
    "package {name} exports a single step type; wrap it as `export default definePlugin({ name, version, apiVersion: {api}, steps: [...] })` so Weft can check the plugin API version",
  ),
  apiVersion: defineError(
    "WEFT_PLUGIN_API_VERSION",
    "{name} was written for Weft plugin API {theirs}, but this Weft ({weft}) provides plugin API {ours}; install a version of {name} built for plugin API {ours}",
  ),
  badStep: defineError("WEFT_PLUGIN_BAD_STEP", "step type {step} in {file} {problem}"),
  notNamespaced: defineError(
    "WEFT_PLUGIN_NAME_NOT_NAMESPACED",
    'step type "{step}" in {file} needs a namespace, e.g. "{suggestion}"; bare names are reserved for built-in step types',
  ),
  duplicate: defineError(
    "WEFT_PLUGIN_DUPLICATE_STEP",
    'step type "{step}" is defined twice: by {first} and by {second}; remove one or rename it',
  ),
};
