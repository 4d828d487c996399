import { tunnelTarget } from "../../components/cloudflare/plan/edge";
import { Check, fail, listed, once, pass, skip } from "./check";
import { read, VerifyContext } from "./context";
import { expectedCloudflared, expectedPublicRecords } from "./expect";
import { cloudflareTokenEnv } from "./options";

// The public side: each external app's record leads into the tunnel, no internal app is published, the
// connector runs in the cluster and the tunnel has live connections. Through the Cloudflare API (v4) when a
// token is in the environment; skipped otherwise.

interface Zone {
    id: string;
    account: { id: string };
}
interface Tunnel {
    id: string;
    name: string;
    /** inactive | degraded | healthy | down */
    status: string;
}
interface DnsRecord {
    type: string;
    name: string;
    content: string;
    proxied?: boolean;
}

async function cloudflareGet<T>(ctx: VerifyContext, path: string): Promise<T> {
    const response = await fetch(`${ctx.options.cloudflareApi}${path}`, {
        headers: { authorization: `Bearer ${ctx.cloudflareToken}`, accept: "application/json" },
        signal: AbortSignal.timeout(ctx.options.timeoutMs),
    }).catch((error: Error) => {
        throw new Error(
            error.name === "TimeoutError"
                ? `Cloudflare API: no answer within ${ctx.options.timeoutMs / 1000} s`
                : `Cloudflare API: ${error.message}`,
        );
    });
    const body = (await response.json().catch(() => undefined)) as
        { success?: boolean; errors?: { message: string }[]; result?: T } | undefined;
    if (!response.ok || !body?.success)
        throw new Error(
            `Cloudflare API GET ${path.split("?")[0]}: HTTP ${response.status}${body?.errors?.length ? `: ${body.errors[0].message}` : ""}`,
        );
    return body.result as T;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

const noToken = `no Cloudflare token: set ${cloudflareTokenEnv} (Zone Read and DNS Read on the zone, Cloudflare Tunnel Read on the account) to check`;

export function cloudflareChecks(ctx: VerifyContext): { dns: Check[]; tunnel: Check[] } {
    const cloudflare = ctx.spec.cloudflare;
    const domain = ctx.spec.domain;
    const zone = once(async () => {
        const zones = await cloudflareGet<Zone[]>(ctx, `/zones?name=${encodeURIComponent(domain)}`);
        if (!zones.length) throw new Error(`the token sees no zone ${domain}`);
        return zones[0];
    });
    const tunnel = once(async () => {
        const account = cloudflare?.accountId ?? (await zone()).account.id;
        const tunnels = await cloudflareGet<Tunnel[]>(
            ctx,
            `/accounts/${account}/cfd_tunnel?name=${encodeURIComponent(cloudflare!.tunnelName)}&is_deleted=false`,
        );
        if (!tunnels.length) throw new Error(`no tunnel named ${cloudflare!.tunnelName} in account ${account}`);
        return { account, tunnel: tunnels[0] };
    });
    const records = (name: string) =>
        zone().then((z) => cloudflareGet<DnsRecord[]>(ctx, `/zones/${z.id}/dns_records?name=${encodeURIComponent(name)}`));
    const notManaged = "homelab:cloudflare is not set: the program publishes nothing";
    const guard = (run: () => Promise<ReturnType<typeof pass>>) => async () => {
        if (!cloudflare) return skip(notManaged);
        if (!ctx.cloudflareToken) return skip(noToken);
        try {
            return await run();
        } catch (error) {
            return fail((error as Error).message, `check ${cloudflareTokenEnv} is valid and can read the zone and the account's tunnels`);
        }
    };

    const external: Check = {
        area: "DNS",
        check: "Public records of external apps",
        run: guard(async () => {
            const { tunnel: t } = await tunnel();
            const wanted = expectedPublicRecords(ctx.spec, tunnelTarget(t.id));
            const wrong: string[] = [];
            for (const want of wanted) {
                const found = await records(want.name);
                const match = found.find((r) => r.type === want.type && r.content === want.content && r.proxied === true);
                if (!match)
                    wrong.push(
                        `${want.name}: ${found.map((r) => `${r.type} ${r.content}${r.proxied ? " proxied" : ""}`).join(", ") || "no record"} (want proxied CNAME ${want.content})`,
                    );
            }
            const detail = `${listed(wanted.map((w) => w.name))} -> ${tunnelTarget(t.id)}`;
            return wrong.length
                ? fail(
                      wrong.join("; "),
                      "the zone's records differ from the plan: run pulumi up (components/cloudflare/edge.ts), and remove hand-made records of the same names",
                  )
                : pass(detail);
        }),
    };

    const internal: Check = {
        area: "DNS",
        check: "No public record for internal apps",
        run: guard(async () => {
            const internalApps = ctx.spec.apps.filter((a) => a.gateway === "internal");
            if (!internalApps.length) return pass("no internal apps");
            const published: string[] = [];
            for (const app of internalApps) {
                const found = await records(app.hostname);
                if (found.length) published.push(`${app.hostname}: ${found.map((r) => `${r.type} ${r.content}`).join(", ")}`);
            }
            return published.length
                ? fail(
                      published.join("; "),
                      "an internal app is published to the internet: delete the record at Cloudflare (the program never makes one for an internal app)",
                  )
                : pass(`${listed(internalApps.map((a) => a.hostname))}: none published`);
        }),
    };

    const connector = expectedCloudflared(ctx.spec);
    const deployment: Check = {
        area: "Tunnel",
        check: `cloudflared Deployment ${connector.namespace}/${connector.name}`,
        run: async () => {
            if (!cloudflare) return skip(notManaged);
            const d = await read(ctx, () =>
                ctx.kube.apps.readNamespacedDeployment({ namespace: connector.namespace, name: connector.name }),
            );
            if ("error" in d)
                return fail(`Deployment ${connector.namespace}/${connector.name}: ${d.error}`, "the connector is missing: run pulumi up");
            const ready = d.value.status?.readyReplicas ?? 0;
            const detail = `ready ${ready}/${d.value.spec?.replicas ?? 0} (want ${connector.replicas})`;
            return ready === connector.replicas
                ? pass(detail)
                : fail(
                      detail,
                      "a connector is not ready: it reports ready only with an edge connection; read its log (token, outbound UDP 7844 for QUIC)",
                  );
        },
    };

    const health: Check = {
        area: "Tunnel",
        check: `Cloudflare tunnel ${cloudflare?.tunnelName ?? "(none)"}`,
        run: guard(async () => {
            const { account, tunnel: t } = await tunnel();
            const clients = await cloudflareGet<{ id: string; conns?: { colo_name?: string; is_pending_reconnect?: boolean }[] }[]>(
                ctx,
                `/accounts/${account}/cfd_tunnel/${t.id}/connections`,
            );
            const live = clients.flatMap((c) => c.conns ?? []).filter((c) => !c.is_pending_reconnect);
            const detail = `status ${t.status}, ${plural(clients.length, "connector")}, ${plural(live.length, "live connection")}${live.length ? ` (${[...new Set(live.map((c) => c.colo_name))].join(", ")})` : ""}`;
            return t.status === "healthy" && live.length > 0
                ? pass(detail)
                : fail(
                      detail,
                      "the tunnel has no healthy connections: see the cloudflared Deployment check; the connector needs the tunnel's current token",
                  );
        }),
    };

    return { dns: [external, internal], tunnel: [deployment, health] };
}
