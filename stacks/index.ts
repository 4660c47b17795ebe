export * from "./config/environment-config";
export * from "./config/fleet-config";
export * from "./config/layout-config";
export * from "./config/load-config";
export * from "./layouts/fleet-environment";
export * from "./layouts/two-version-stack";
export * from "./layouts/blue-green-stack";
export * from "./build-app";
