export * from "./types";
export { specFromStackConfig, StackConfig } from "./stack-config";
export { validateConfig, Validation } from "./validate";
export { configWarnings, plainHttpWarnings } from "./url-rules";
export { Problem, ConfigError, formatProblem } from "./problems";
export { planAddresses, AddressAllocation, Segment, planSegments } from "./ip-plan";
export { configKeys, secretKeys, SecretKey } from "./schema";
export { controlPlanes, proxmoxHostsInUse } from "./derive";
export * from "./facts";
