import * as path from "path";
import { isLoopbackHost } from "../../components/config/addresses";
import { CommandSpec, FlagValues, parseCommandLine, stackFlags, textFlag, UsageError } from "../cli";
import { stackNameOf } from "../../components/config/stack-file";

// `npm run verify -- [options]`: what to check against, and every address it contacts, each overridable so
// the checks can run against local stand-ins. The Cloudflare token is read from the environment only.

/** The environment variable holding the Cloudflare API token (the Pulumi Cloudflare provider reads the same one). */
export const cloudflareTokenEnv = "CLOUDFLARE_API_TOKEN";
export const defaultCloudflareApi = "https://api.cloudflare.com/client/v4";

export type ResolverName = "dns" | "adguard" | "technitium";
export interface Endpoint {
    host: string;
    port: number;
}

export interface VerifyOptions {
    stack: string;
    configFile?: string;
    kubeconfig?: string;
    json: boolean;
    inCluster: boolean;
    /** DNS servers to ask instead of the planned ones (k8s_gateway .60:53, AdGuard, Technitium). */
    resolvers: Partial<Record<ResolverName, Endpoint>>;
    /** HTTPS endpoints to shake hands with instead of the gateways' planned addresses (port 443). */
    gatewayAddresses: Partial<Record<"internal" | "external", Endpoint>>;
    /** A PEM CA bundle trusted for the gateways' certificates, besides the system's (a staging issuer). */
    gatewayCa?: string;
    cloudflareApi: string;
    /** Per network call. */
    timeoutMs: number;
    /** The whole run. */
    deadlineMs: number;
}

export const verifyCommand: CommandSpec = {
    name: "verify",
    summary:
        "After `pulumi up`: checks the live cluster against the stack (Cilium, the LB pool and L2 leases, the gateways, " +
        "routes and certificate, DNS through k8s_gateway, AdGuard and Technitium, the Cloudflare tunnel) and says for each " +
        "difference what to fix. The Cloudflare checks read CLOUDFLARE_API_TOKEN; without it they are skipped.",
    flags: {
        ...stackFlags,
        kubeconfig: { value: "FILE", help: "The cluster's kubeconfig (default: the stack output via the Pulumi CLI, else $KUBECONFIG)." },
        json: { help: "Print one JSON document instead of the table." },
        "in-cluster": { help: "Also resolve an app from a short-lived pod, through cluster DNS." },
        resolver: {
            value: "NAME=HOST:PORT",
            multiple: true,
            help: "Ask this DNS server for NAME (dns, adguard or technitium) instead of the planned one.",
        },
        "gateway-address": {
            value: "NAME=HOST:PORT",
            multiple: true,
            help: "Shake hands with this address for gateway NAME (internal or external).",
        },
        "gateway-ca": { value: "FILE", help: "Also trust this PEM CA for the gateways' certificate (a staging issuer)." },
        "cloudflare-api": {
            value: "URL",
            help: `The Cloudflare API (default ${defaultCloudflareApi}); https, or http only to this machine.`,
        },
        timeout: { value: "SECONDS", help: "Bound on each network call (default 5)." },
        deadline: { value: "SECONDS", help: "Bound on the whole run (default 120)." },
    },
    notes: [
        "Exit codes: 0 nothing failed; 1 a check failed; 2 the run could not start (a wrong command line or stack file, no kubeconfig, the API unreachable or refusing).",
    ],
};

/** `172.16.1.60:53` -> {host, port}; the port is required so that a typo never silently means 53. */
export function parseEndpoint(text: string, flag: string): Endpoint {
    const match = /^([^:\s]+):(\d{1,5})$/.exec(text);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) throw new Error(`${flag}: "${text}" is not HOST:PORT (e.g. 172.16.1.60:53)`);
    return { host: match[1], port };
}

function keyed<K extends string>(text: string, flag: string, keys: readonly K[]): [K, Endpoint] {
    const at = text.indexOf("=");
    const key = text.slice(0, at) as K;
    if (at < 0 || !keys.includes(key)) throw new Error(`${flag}: "${text}" must be one of ${keys.map((k) => `${k}=HOST:PORT`).join(", ")}`);
    return [key, parseEndpoint(text.slice(at + 1), `${flag} ${key}`)];
}

function seconds(text: string, flag: string, example: number): number {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value <= 0 || value > 3600)
        throw new Error(`${flag}: "${text}" must be a number of seconds greater than 0 and at most 3600 (e.g. ${example})`);
    return Math.round(value * 1000);
}

/** The Cloudflare API base: https, or http only to this machine (a stand-in), since the token goes in a header. */
export function cloudflareApiUrl(text: string): string {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        throw new Error(`--cloudflare-api: "${text}" is not a URL (e.g. https://api.cloudflare.com/client/v4)`);
    }
    if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
        throw new Error(
            `--cloudflare-api: ${url.origin} is not https: the Cloudflare token would cross the network in clear text (plain http is allowed only to this machine)`,
        );
    }
    if (url.username || url.password || url.search || url.hash)
        throw new Error(`--cloudflare-api: give the API's base URL only, e.g. https://api.cloudflare.com/client/v4`);
    return text.replace(/\/+$/, "");
}

/** The options of a parsed command line; every bad value is listed at once in one {@link UsageError}. */
export function verifyOptions(values: FlagValues): VerifyOptions {
    const options: VerifyOptions = {
        stack: "home",
        json: values.json === true,
        inCluster: values["in-cluster"] === true,
        resolvers: {},
        gatewayAddresses: {},
        cloudflareApi: defaultCloudflareApi,
        timeoutMs: 5000,
        deadlineMs: 120_000,
    };
    const problems: string[] = [];
    const attempt = (convert: () => void) => {
        try {
            convert();
        } catch (error) {
            problems.push((error as Error).message);
        }
    };
    const list = (name: string) => (values[name] as string[] | undefined) ?? [];
    const text = (name: string) => textFlag(values, name);
    const stack = text("stack");
    const config = text("config");
    // The stack whose output holds the kubeconfig: named, or the stack file's (`Pulumi.lab.yaml` -> lab).
    if (stack !== undefined) options.stack = stack;
    else if (config !== undefined) options.stack = stackNameOf(config);
    if (config !== undefined) options.configFile = path.resolve(config);
    if (text("kubeconfig") !== undefined) options.kubeconfig = path.resolve(text("kubeconfig")!);
    for (const value of list("resolver")) {
        attempt(() => {
            const [name, endpoint] = keyed(value, "--resolver", ["dns", "adguard", "technitium"] as const);
            options.resolvers[name] = endpoint;
        });
    }
    for (const value of list("gateway-address")) {
        attempt(() => {
            const [name, endpoint] = keyed(value, "--gateway-address", ["internal", "external"] as const);
            options.gatewayAddresses[name] = endpoint;
        });
    }
    if (text("gateway-ca") !== undefined) options.gatewayCa = path.resolve(text("gateway-ca")!);
    if (text("cloudflare-api") !== undefined) attempt(() => (options.cloudflareApi = cloudflareApiUrl(text("cloudflare-api")!)));
    if (text("timeout") !== undefined) attempt(() => (options.timeoutMs = seconds(text("timeout")!, "--timeout", 5)));
    if (text("deadline") !== undefined) attempt(() => (options.deadlineMs = seconds(text("deadline")!, "--deadline", 120)));
    if (problems.length) throw new UsageError(problems);
    return options;
}

/** `npm run verify`'s command line as options (`--flag value` or `--flag=value`); throws a UsageError listing every mistake. */
export function parseVerifyArgs(argv: readonly string[]): VerifyOptions {
    return verifyOptions(parseCommandLine(verifyCommand, argv).values);
}
