import { addressProblems } from "./address-rules";
import { appProblems } from "./app-rules";
import { urlProblems } from "./url-rules";
import { identityProblems } from "./identity-rules";
import { Problem } from "./problems";
import { PlainSpec, specSchema } from "./shape";
import { parseStructure, secretProblems } from "./structure";
import { trustProblems } from "./trust-rules";
import { versionProblems } from "./version-rules";
import * as versions from "../versions";

const pinnedVersions = { version: versions.talos.version, kubernetesVersion: versions.kubernetes.version, configContract: versions.talos.configContract };

export type Validation = { ok: true; spec: PlainSpec } | { ok: false; problems: Problem[] };

/**
 * Checks the raw `homelab:*` config values (keys without the namespace) and the names of the secrets
 * that are set. Returns the frozen spec, or every problem found: shape errors of each key first,
 * then the cross-key rules over whatever parsed.
 */
export function validateConfig(raw: Readonly<Record<string, unknown>>, presentSecrets: ReadonlySet<string>): Validation {
    const { parsed, problems } = parseStructure(raw);
    problems.push(...addressProblems(parsed), ...identityProblems(parsed), ...appProblems(parsed), ...urlProblems(parsed), ...trustProblems(parsed), ...secretProblems(parsed, presentSecrets, raw.cloudflare !== undefined && !parsed.cloudflare));
    if (parsed.talos) problems.push(...versionProblems(parsed.talos, pinnedVersions));
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, spec: deepFreeze(specSchema.parse(raw) as PlainSpec) };
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}
