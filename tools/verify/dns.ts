import { promises as dns } from "dns";
import { Check, fail, listed, once, pass, skip } from "./check";
import { VerifyContext } from "./context";
import { expectedAnswers, ExpectedAnswer, forwarderEndpoint } from "./expect";
import { Endpoint } from "./options";
import { dnsServiceName } from "../../components/config/facts";

// Split DNS from the LAN: k8s_gateway answers every app and infrastructure name with its planned address,
// and AdGuard and Technitium give the same answers because they forward the domain to it.

const area = "DNS" as const;

export type Answer = { addresses: string[] } | { rcode: "NXDOMAIN" | "NODATA" | "SERVFAIL" | "REFUSED" } | { unanswered: string };

/** One A lookup through one server (host:port), bounded by a single try of `timeoutMs`. */
export async function lookup(server: Endpoint, hostname: string, timeoutMs: number): Promise<Answer> {
    const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
    resolver.setServers([`${server.host}:${server.port}`]);
    try {
        return { addresses: (await resolver.resolve4(hostname)).sort() };
    } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === dns.NOTFOUND) return { rcode: "NXDOMAIN" };
        if (code === dns.NODATA) return { rcode: "NODATA" };
        if (code === dns.SERVFAIL) return { rcode: "SERVFAIL" };
        if (code === dns.REFUSED) return { rcode: "REFUSED" };
        return { unanswered: code === dns.TIMEOUT ? `no answer within ${timeoutMs / 1000} s` : `${code ?? (error as Error).message}` };
    } finally {
        resolver.cancel();
    }
}

function shown(answer: Answer): string {
    return "addresses" in answer ? answer.addresses.join(", ") || "(empty)" : "rcode" in answer ? answer.rcode : answer.unanswered;
}

function correct(answer: Answer, expected: ExpectedAnswer): boolean {
    return "addresses" in answer && answer.addresses.length === 1 && answer.addresses[0] === expected.address;
}

async function askAll(server: Endpoint, expected: readonly ExpectedAnswer[], timeoutMs: number): Promise<Answer[]> {
    return Promise.all(expected.map((e) => lookup(server, e.hostname, timeoutMs)));
}

/** `name -> answer (want address)` per wrong name; one line when every name got the same failure (`all 9 names -> NXDOMAIN`). */
function mismatches(expected: readonly ExpectedAnswer[], answers: readonly Answer[]): string[] {
    const wrong = expected.flatMap((e, i) => (correct(answers[i], e) ? [] : [{ e, answer: shown(answers[i]) }]));
    if (
        wrong.length > 1 &&
        wrong.length === expected.length &&
        wrong.every((w) => w.answer === wrong[0].answer) &&
        !("addresses" in answers[0])
    ) {
        return [`all ${wrong.length} names -> ${wrong[0].answer} (want their planned addresses)`];
    }
    return wrong.map((w) => `${w.e.hostname} -> ${w.answer} (want ${w.e.address})`);
}

export function dnsChecks(ctx: VerifyContext): Check[] {
    const expected = expectedAnswers(ctx.spec);
    const gatewayServer = ctx.options.resolvers.dns ?? { host: ctx.spec.gateways.dns, port: 53 };
    const timeout = ctx.options.timeoutMs;
    const gatewayAnswers = once(() => askAll(gatewayServer, expected, timeout));
    const where = `${gatewayServer.host}:${gatewayServer.port}`;
    const names = `${ctx.spec.apps.length} app and ${expected.length - ctx.spec.apps.length} infrastructure names`;

    const k8sGateway: Check = {
        area,
        check: `k8s_gateway ${where}`,
        run: async () => {
            const answers = await gatewayAnswers();
            if (answers.every((a) => "unanswered" in a)) {
                return fail(
                    `${(answers[0] as { unanswered: string }).unanswered} (asked ${expected.length} names)`,
                    `k8s_gateway does not answer at ${where}: check the LoadBalancer Service ${dnsServiceName} and its L2 lease above, its pod in the network namespace, and that UDP/TCP 53 reach the node network`,
                );
            }
            const wrong = mismatches(expected, answers);
            if (!wrong.length) return pass(`${names} answered as planned`);
            const apps = expected.filter((e, i) => !correct(answers[i], e) && e.source.startsWith("HTTPRoute")).map((e) => e.source);
            const hint = apps.length
                ? `k8s_gateway answers a route's name with its Gateway's status address: check ${listed(apps)} is Accepted and the Gateway's address (checks above)`
                : "the infrastructure records come from the k8s-gateway Corefile (homelab:infrastructure): run pulumi up";
            return fail(wrong.join("; "), hint);
        },
    };

    const forwarder = (label: string, key: "adguard" | "technitium", url: string | undefined): Check => {
        const server = ctx.options.resolvers[key] ?? (url ? forwarderEndpoint(url) : undefined);
        return {
            area,
            check: `${label} ${server ? `${server.host}:${server.port}` : "(not configured)"}`,
            run: async () => {
                if (!server) return skip(`homelab:dnsForwarders.${key} is not set, so the program does not manage it`);
                const answers = await askAll(server, expected, timeout);
                if (answers.every((a) => "unanswered" in a)) {
                    return fail(
                        `${(answers[0] as { unanswered: string }).unanswered} (asked ${expected.length} names)`,
                        `${label} does not answer DNS at ${server.host}:${server.port}: is it running and listening on port 53?`,
                    );
                }
                const wrong = mismatches(expected, answers);
                if (!wrong.length) return pass(`same answers as k8s_gateway for ${names}`);
                const fromGateway = await gatewayAnswers();
                const gatewayAlsoWrong = expected.some((e, i) => !correct(answers[i], e) && !correct(fromGateway[i], e));
                const hint = gatewayAlsoWrong
                    ? "k8s_gateway itself answers these wrongly: fix the k8s_gateway check first"
                    : `${label} does not forward ${ctx.spec.domain} to k8s_gateway ${ctx.spec.gateways.dns}: run pulumi up (homelab:dnsForwarders.${key}), and look for a rewrite or cached answer there that shadows the domain`;
                return fail(wrong.join("; "), hint);
            },
        };
    };

    return [
        k8sGateway,
        forwarder("AdGuard", "adguard", ctx.spec.dnsForwarders.adguard?.url),
        forwarder("Technitium", "technitium", ctx.spec.dnsForwarders.technitium?.url),
    ];
}
