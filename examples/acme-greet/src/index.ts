import { definePlugin } from "weft/plugin";
import { greet } from "./greet.js";

export default definePlugin({
  name: "acme-greet",
  version: "1.0.0",
  // The Weft plugin API this package is written for (PLUGIN_API_VERSION), as a number.
  apiVersion: 1,
  steps: [greet],
});
