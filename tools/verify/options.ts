import * as path from "path";

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

const usage =
    "use --stack NAME, --config FILE, --kubeconfig FILE, --json, --in-cluster, --resolver dns|adguard|technitium=HOST:PORT, " +
    "--gateway-address internal|external=HOST:PORT, --gateway-ca FILE, --cloudflare-api URL, --timeout SECONDS, --deadline SECONDS";

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

function seconds(text: string, flag: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0 || value > 3600) throw new Error(`${flag}: "${text}" is not a number of seconds between 0 and 3600`);
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
    const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127\./.test(url.hostname);
    if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
        throw new Error(`--cloudflare-api: ${url.origin} is not https: the Cloudflare token would cross the network in clear text (plain http is allowed only to this machine)`);
    }
    if (url.username || url.password || url.search || url.hash) throw new Error(`--cloudflare-api: give the API's base URL only, e.g. https://api.cloudflare.com/client/v4`);
    return text.replace(/\/+$/, "");
}

export function parseVerifyArgs(argv: readonly string[]): VerifyOptions {
    const options: VerifyOptions = {
        stack: "home", json: false, inCluster: false, resolvers: {}, gatewayAddresses: {},
        cloudflareApi: defaultCloudflareApi, timeoutMs: 5000, deadlineMs: 120_000,
    };
    const problems: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = argv[i + 1];
        try {
            if (flag === "--json") options.json = true;
            else if (flag === "--in-cluster") options.inCluster = true;
            else if (value === undefined || value.startsWith("--")) throw new Error(`${flag}: needs a value, or is unknown: ${usage}`);
            else {
                i++;
                if (flag === "--stack") options.stack = value;
                else if (flag === "--config") options.configFile = path.resolve(value);
                else if (flag === "--kubeconfig") options.kubeconfig = path.resolve(value);
                else if (flag === "--resolver") {
                    const [name, endpoint] = keyed(value, flag, ["dns", "adguard", "technitium"] as const);
                    options.resolvers[name] = endpoint;
                } else if (flag === "--gateway-address") {
                    const [name, endpoint] = keyed(value, flag, ["internal", "external"] as const);
                    options.gatewayAddresses[name] = endpoint;
                } else if (flag === "--gateway-ca") options.gatewayCa = path.resolve(value);
                else if (flag === "--cloudflare-api") options.cloudflareApi = cloudflareApiUrl(value);
                else if (flag === "--timeout") options.timeoutMs = seconds(value, flag);
                else if (flag === "--deadline") options.deadlineMs = seconds(value, flag);
                else throw new Error(`unknown argument ${flag}: ${usage}`);
            }
        } catch (error) {
            problems.push((error as Error).message);
        }
    }
    if (problems.length) throw new Error(problems.join("\n"));
    return options;
}
