import { z } from "zod";
import { configKeys, ConfigKey, SecretKey, secretKeys } from "./schema";
import { entryLabels, keyPath, NamedList, namedLists, Problem } from "./problems";
import { issueProblems, knownKeys } from "./issue-messages";
import { closest } from "./suggest";

export interface ParseOptions {
    /** The stack file the values come from, for the fixes: `Pulumi.home.yaml`. */
    stackFile?: string;
}

export type ParsedConfig = { [K in ConfigKey]?: z.infer<(typeof configKeys)[K]["schema"]> } & {
    /** How messages name each parsed entry of a named list (problems.ts entryLabels): `talos-cp-1`, or its position. */
    labels?: Partial<Record<NamedList, readonly string[]>>;
    /** Named lists of which some entries failed their shape and are left out: rules over the whole list wait. */
    partial?: readonly NamedList[];
};

/** The config key of a parsed list entry: `homelab:nodes[talos-cp-1]`. */
export function entryKey(c: ParsedConfig, list: NamedList, index: number): string {
    return `homelab:${list}[${c.labels?.[list]?.[index] ?? index}]`;
}

/**
 * A value against its shape: the parsed data, or none, and every issue. A value whose only issues are keys it does
 * not know is parsed without them, so the other rules still judge it (the unknown keys are reported all the same).
 */
function parseValue(schema: z.ZodType, value: unknown): { data?: unknown; issues: z.core.$ZodIssue[] } {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return { data: result.data, issues: [] };
    const issues = result.error.issues;
    if (!issues.every((issue) => issue.code === "unrecognized_keys")) return { issues };
    const known = structuredClone(value);
    for (const issue of issues as z.core.$ZodIssueUnrecognizedKeys[]) {
        const holder = issue.path.reduce<unknown>((at, part) => (at as Record<PropertyKey, unknown>)?.[part], known) as
            Record<string, unknown> | undefined;
        for (const key of issue.keys) if (holder) delete holder[key];
    }
    const again = schema.safeParse(known);
    return { data: again.success ? again.data : undefined, issues };
}

const topLevelKeys: readonly string[] = [...Object.keys(configKeys), ...secretKeys];

/**
 * Parses each key against its shape. A key that fails is left out, with its problems listed; of a named list
 * (nodes, apps, infrastructure) only the entries that fail are left out. `unchecked` names what was left out, and so
 * sat out the rules that relate keys to each other.
 */
export function parseStructure(
    raw: Readonly<Record<string, unknown>>,
    options: ParseOptions = {},
): { parsed: ParsedConfig; problems: Problem[]; unchecked: string[] } {
    const parsed: Record<string, unknown> = {};
    const labels: Partial<Record<NamedList, readonly string[]>> = {};
    const partial: NamedList[] = [];
    const problems: Problem[] = [];
    const unchecked: string[] = [];
    for (const key of Object.keys(raw).sort()) {
        if (topLevelKeys.includes(key)) continue;
        const meant = closest(key, topLevelKeys);
        problems.push({
            key: `homelab:${key}`,
            message: meant ? `is not a known config key; did you mean homelab:${meant}?` : "is not a known config key",
            fix: meant
                ? `rename it to homelab:${meant}`
                : "remove it or correct its spelling (the README's configuration table lists every key)",
        });
    }
    const stackFile = options.stackFile ?? "the stack file, Pulumi.<stack>.yaml";
    for (const [key, { schema, required }] of Object.entries(configKeys) as [ConfigKey, { schema: z.ZodType; required: boolean }][]) {
        const value = raw[key];
        if (value === undefined) {
            if (required)
                problems.push({
                    key: `homelab:${key}`,
                    message: "is not set",
                    fix: `set it in ${stackFile} (the README's configuration table shows its shape)`,
                });
            else parsed[key] = schema.safeParse(key === "apps" ? [] : {}).data;
            continue;
        }
        const list = (namedLists as readonly string[]).includes(key) && Array.isArray(value) ? entryLabels(value) : undefined;
        const result = parseValue(schema, value);
        for (const issue of result.issues) problems.push(...keyProblems(key, issue, schema, list));
        if (result.data !== undefined) {
            parsed[key] = result.data;
            if (list) labels[key as NamedList] = list;
        } else if (list && schema instanceof z.ZodArray && !result.issues.some((issue) => issue.path.length === 0)) {
            // Only some entries are wrong: the others still meet every rule.
            const entries = (value as unknown[]).map((entry) => parseValue(schema.element as z.ZodType, entry).data);
            parsed[key] = entries.filter((entry) => entry !== undefined);
            labels[key as NamedList] = list.filter((_, i) => entries[i] !== undefined);
            partial.push(key as NamedList);
            entries.forEach((entry, i) => entry === undefined && unchecked.push(keyPath(key, [i], list)));
        } else {
            unchecked.push(`homelab:${key}`);
        }
    }
    return { parsed: { ...(parsed as ParsedConfig), labels, partial }, problems, unchecked };
}

function keyProblems(key: ConfigKey, issue: z.core.$ZodIssue, schema: z.ZodType, list: readonly string[] | undefined): Problem[] {
    const problems: Problem[] = [];
    if (key === "cloudflare" && issue.code === "unrecognized_keys" && issue.keys.includes("scopedTokens")) {
        problems.push({
            key: "homelab:cloudflare.scopedTokens",
            message: "is gone: minting made the stored main token able to create tokens for the whole account",
            fix: "remove it; cert-manager now gets homelab:cloudflareDnsToken, a DNS-only token you create once (README: Cloudflare tokens), or set mintDnsToken: true to mint one from CLOUDFLARE_API_TOKEN at run time",
        });
        if (issue.keys.length === 1) return problems;
        issue = { ...issue, keys: issue.keys.filter((k) => k !== "scopedTokens") };
    }
    return [
        ...problems,
        ...issueProblems(
            issue,
            (path) => keyPath(key, path, list),
            (path) => knownKeys(schema, path),
        ),
    ];
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

const dnsTokenFix =
    "create a token in the Cloudflare dashboard with Zone > Zone > Read and Zone > DNS > Edit on the domain's zone only, then run `pulumi config set --secret homelab:cloudflareDnsToken <token>`";

/** `cloudflareUnparsed`: homelab:cloudflare is set but has problems of its own, so its token rules are not judged. */
export function secretProblems(parsed: ParsedConfig, present: ReadonlySet<string>, cloudflareUnparsed = false): Problem[] {
    const problems: Problem[] = [];
    for (const key of requiredSecrets(parsed)) {
        if (present.has(key) || (cloudflareUnparsed && key.startsWith("cloudflare"))) continue;
        if (key === "cloudflareDnsToken") {
            problems.push({
                key: "homelab:cloudflareDnsToken",
                message:
                    "is not set: cert-manager needs a DNS-only token for DNS-01, and the main token (homelab:cloudflareApiToken) never goes into the cluster",
                fix: parsed.cloudflare
                    ? `${dnsTokenFix} (or opt in to homelab:cloudflare.mintDnsToken, README: Cloudflare tokens)`
                    : dnsTokenFix,
            });
            continue;
        }
        problems.push({
            key: `homelab:${key}`,
            message: "is a required secret and is not set",
            fix: `run \`pulumi config set --secret homelab:${key} <value>\``,
        });
    }
    if (parsed.cloudflare?.mintDnsToken && present.has("cloudflareDnsToken")) {
        problems.push({
            key: "homelab:cloudflareDnsToken",
            message:
                "is set while homelab:cloudflare.mintDnsToken is true, which mints cert-manager its own token: one of the two would go unused",
            fix: "set homelab:cloudflare.mintDnsToken to false to use this token, or remove it with `pulumi config rm homelab:cloudflareDnsToken`",
        });
    }
    return problems;
}
