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
            if (issue.format === "url") return "give a full URL such as https://172.16.1.2:8006";
            // A pattern's message says the shape with an example (schema.ts); "a valid regex" would name the check, not the value.
            return issue.format === "regex" ? "give a value of the shape the message describes" : `give a valid ${issue.format}`;
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
            if (key === "cloudflare" && issue.code === "unrecognized_keys" && issue.keys.includes("scopedTokens")) {
                problems.push({
                    key: "homelab:cloudflare.scopedTokens",
                    message: "is gone: minting made the stored main token able to create tokens for the whole account",
                    fix: "remove it; cert-manager now gets homelab:cloudflareDnsToken, a DNS-only token you create once (README: Cloudflare tokens), or set mintDnsToken: true to mint one from CLOUDFLARE_API_TOKEN at run time",
                });
                if (issue.keys.length === 1) continue;
            }
            const where = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys.join(", ")] : issue.path;
            problems.push({ key: keyPath(key, where), message: issue.code === "unrecognized_keys" ? "is not a known key" : issue.message.replace(/^Invalid input: /, ""), fix: fixFor(issue) });
        }
    }
    return { parsed: parsed as ParsedConfig, problems };
}

/**
 * Which secrets the parsed config needs: the main Cloudflare token only for the edge (homelab:cloudflare); the
 * DNS-only token for cert-manager unless the edge mints one (mintDnsToken); the forwarders' only when that
 * forwarder is configured.
 */
export function requiredSecrets(parsed: Pick<ParsedConfig, "dnsForwarders" | "cloudflare">): SecretKey[] {
    const needed: SecretKey[] = ["proxmoxApiToken", "proxmoxSshPrivateKey"];
    if (parsed.cloudflare) needed.push("cloudflareApiToken");
    if (!parsed.cloudflare?.mintDnsToken) needed.push("cloudflareDnsToken");
    if (parsed.dnsForwarders?.adguard) needed.push("adguardPassword");
    if (parsed.dnsForwarders?.technitium) needed.push("technitiumToken");
    return needed;
}

const dnsTokenFix = "create a token in the Cloudflare dashboard with Zone > Zone > Read and Zone > DNS > Edit on the domain's zone only, then run `pulumi config set --secret homelab:cloudflareDnsToken <token>`";

/** `cloudflareUnparsed`: homelab:cloudflare is set but has problems of its own, so its token rules are not judged. */
export function secretProblems(parsed: ParsedConfig, present: ReadonlySet<string>, cloudflareUnparsed = false): Problem[] {
    const problems: Problem[] = [];
    for (const key of requiredSecrets(parsed)) {
        if (present.has(key) || (cloudflareUnparsed && key.startsWith("cloudflare"))) continue;
        if (key === "cloudflareDnsToken") {
            problems.push({
                key: "homelab:cloudflareDnsToken",
                message: "is not set: cert-manager needs a DNS-only token for DNS-01, and the main token (homelab:cloudflareApiToken) never goes into the cluster",
                fix: parsed.cloudflare ? `${dnsTokenFix} (or opt in to homelab:cloudflare.mintDnsToken, README: Cloudflare tokens)` : dnsTokenFix,
            });
            continue;
        }
        problems.push({ key: `homelab:${key}`, message: "is a required secret and is not set", fix: `run \`pulumi config set --secret homelab:${key} <value>\`` });
    }
    if (parsed.cloudflare?.mintDnsToken && present.has("cloudflareDnsToken")) {
        problems.push({
            key: "homelab:cloudflareDnsToken",
            message: "is set while homelab:cloudflare.mintDnsToken is true, which mints cert-manager its own token: one of the two would go unused",
            fix: "set homelab:cloudflare.mintDnsToken to false to use this token, or remove it with `pulumi config rm homelab:cloudflareDnsToken`",
        });
    }
    return problems;
}
