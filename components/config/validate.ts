import { addressProblems } from "./address-rules";
import { appProblems } from "./app-rules";
import { urlProblems } from "./url-rules";
import { identityProblems } from "./identity-rules";
import { Problem } from "./problems";
import { PlainSpec, specSchema } from "./shape";
import { namespaceProblems } from "./namespace-rules";
import { ParseOptions, parseStructure, secretProblems } from "./structure";
import { trustProblems } from "./trust-rules";
import { versionProblems } from "./version-rules";
import * as versions from "../versions";

const pinnedVersions = {
    version: versions.talos.version,
    kubernetesVersion: versions.kubernetes.version,
    configContract: versions.talos.configContract,
};

export type Validation = { ok: true; spec: PlainSpec } | { ok: false; problems: Problem[]; unchecked: string[] };

export interface ValidateOptions extends ParseOptions {
    /** Full keys of the stack outside `homelab:` (`kubernetes:context`, `homlab:domain`): a misspelt namespace is named. */
    otherKeys?: readonly string[];
}

/**
 * Checks the raw `homelab:*` config values (keys without the namespace) and the names of the secrets
 * that are set. Returns the frozen spec, or every problem found: shape errors of each key first,
 * then the cross-key rules over whatever parsed, then the versions; `unchecked` names what sat out the cross-key rules.
 */
export function validateConfig(
    raw: Readonly<Record<string, unknown>>,
    presentSecrets: ReadonlySet<string>,
    options: ValidateOptions = {},
): Validation {
    const { parsed, problems: shapeProblems, unchecked } = parseStructure(raw, options);
    const slips = namespaceProblems(options.otherKeys ?? [], options.stackFile ?? "the stack file");
    // A key set under a misspelt namespace is explained by that namespace's problem, not as unset.
    const problems = [
        ...slips.problems,
        ...shapeProblems.filter((p) => !slips.meant.has(p.key) || !/^is (not set|a required secret and is not set)$/.test(p.message)),
    ];
    problems.push(
        ...addressProblems(parsed),
        ...identityProblems(parsed),
        ...appProblems(parsed),
        ...urlProblems(parsed),
        ...trustProblems(parsed),
        ...secretProblems(parsed, presentSecrets, raw.cloudflare !== undefined && !parsed.cloudflare).filter(
            (p) => !slips.meant.has(p.key),
        ),
    );
    if (parsed.talos) problems.push(...versionProblems(parsed.talos, pinnedVersions));
    if (problems.length > 0) return { ok: false, problems, unchecked };
    return { ok: true, spec: deepFreeze(specSchema.parse(raw) as PlainSpec) };
}

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}
