import { z } from "zod";
import { configKeys, ConfigKey, SecretKey, secretKeys } from "./schema";
import { keyPath, Problem } from "./problems";

export type ParsedConfig = { [K in ConfigKey]?: z.infer<(typeof configKeys)[K]["schema"]> };

function fixFor(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_type":
            return `give a value of type ${issue.expected}`;
        case "unrecognized_keys":
            return "remove it or correct its spelling (the README lists every key)";
        case "invalid_value":
            return `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "invalid_format":
            return issue.format === "url" ? "give a full URL such as https://172.16.1.2:8006" : `give a valid ${issue.format}`;
        case "too_small":
            return `give at least ${String(issue.minimum)}`;
        case "too_big":
            return `give at most ${String(issue.maximum)}`;
        default:
            return "see the config table in the README";
    }
}

/** Parses each key against its shape; a key that fails is left out, with its problems listed. */
export function parseStructure(raw: Readonly<Record<string, unknown>>): { parsed: ParsedConfig; problems: Problem[] } {
    const parsed: Record<string, unknown> = {};
    const problems: Problem[] = [];
    for (const key of Object.keys(raw).sort()) {
        if (!(key in configKeys) && !(secretKeys as readonly string[]).includes(key)) {
            problems.push({ key: `homelab:${key}`, message: "is not a known config key", fix: "remove it or correct its spelling (the README lists every key)" });
        }
    }
    for (const [key, { schema, required }] of Object.entries(configKeys)) {
        const value = raw[key];
        if (value === undefined) {
            if (required) problems.push({ key: `homelab:${key}`, message: "is not set", fix: "set it in Pulumi.<stack>.yaml (the README shows its shape)" });
            else parsed[key] = (schema as z.ZodType).safeParse(key === "apps" ? [] : {}).data;
            continue;
        }
        const result = (schema as z.ZodType).safeParse(value);
        if (result.success) {
            parsed[key] = result.data;
            continue;
        }
        for (const issue of result.error.issues) {
            const where = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys.join(", ")] : issue.path;
            problems.push({ key: keyPath(key, where), message: issue.code === "unrecognized_keys" ? "is not a known key" : issue.message.replace(/^Invalid input: /, ""), fix: fixFor(issue) });
        }
    }
    return { parsed: parsed as ParsedConfig, problems };
}

/** Which secrets the parsed config needs: the forwarders' only when that forwarder is configured. */
export function requiredSecrets(parsed: Pick<ParsedConfig, "dnsForwarders">): SecretKey[] {
    const needed: SecretKey[] = ["proxmoxApiToken", "proxmoxSshPrivateKey", "cloudflareApiToken"];
    if (parsed.dnsForwarders?.adguard) needed.push("adguardPassword");
    if (parsed.dnsForwarders?.technitium) needed.push("technitiumToken");
    return needed;
}

export function secretProblems(parsed: ParsedConfig, present: ReadonlySet<string>): Problem[] {
    return requiredSecrets(parsed)
        .filter((key) => !present.has(key))
        .map((key) => ({ key: `homelab:${key}`, message: "is a required secret and is not set", fix: `run \`pulumi config set --secret homelab:${key} <value>\`` }));
}
