// @earnest/service-kit: the pieces the Node services (services/notifier, services/relayer) share.
export * from "./config.js";
export * from "./log.js";
export * from "./run.js";
export * from "./server.js";
export * from "./store.js";
