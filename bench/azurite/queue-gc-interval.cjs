// Loaded into Azurite with NODE_OPTIONS=--require by the bench harness (bench/README.md, "Azurite's
// queue GC"), never by the bridge or its tests. Azurite's in-memory queue store sweeps deleted
// messages every 60 s, and the sweep removes each one with a linear search: with the ~6,000
// messages of a minute at 100 webhooks/s it holds Azurite's only thread for 20 s. Azure Queue
// Storage has no such pause, so end-to-end runs that measure the bridge move the sweep out of
// their window; the interval comes from AZURITE_QUEUE_GC_INTERVAL_MS.
const path = require("node:path");
const interval = Number(process.env.AZURITE_QUEUE_GC_INTERVAL_MS);
if (Number.isFinite(interval) && interval > 0) {
  const constants = require(path.join(__dirname, "..", "..", "node_modules", "azurite", "dist", "src", "queue", "utils", "constants.js"));
  constants.DEFAULT_GC_INTERVAL_MS = interval;
}
