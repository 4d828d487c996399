import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { Check, fail, listed, pass } from "./check";
import { isReady, read, VerifyContext } from "./context";
import {
    ciliumChartObjects,
    ciliumNamespace,
    expectedCiliumConfig,
    expectedOperatorReplicas,
    l2LeaseName,
    lbIpsAnnotation,
    lbPoolName,
    pinnedServices,
    PinnedService,
} from "./expect";
import { condition } from "./kube";
import { inRange, parseAddress, rangeOf } from "../../components/config/addresses";

// Cilium: nodes and agents up, the config the values asked for, LB-IPAM handing out the planned addresses,
// and every LoadBalancer address announced by a Ready node.

const area = "Cilium" as const;

function nodesCheck(ctx: VerifyContext): Check {
    return {
        area,
        check: "Nodes registered and Ready",
        run: async () => {
            const nodes = await read(ctx, ctx.nodes);
            if ("error" in nodes)
                return fail(
                    `list nodes: ${nodes.error}`,
                    "the API answered the version probe but not this: check the kubeconfig's permissions",
                );
            const planned = ctx.spec.nodes.map((n) => n.name);
            const missing = planned.filter((name) => !nodes.value.some((n) => n.metadata?.name === name));
            const notReady = nodes.value
                .filter((n) => planned.includes(n.metadata?.name ?? "") && !isReady(n))
                .map((n) => n.metadata!.name!);
            if (!missing.length && !notReady.length)
                return pass(`${planned.length} of ${planned.length} planned nodes Ready (${listed(planned)})`);
            const detail = [
                missing.length ? `not registered: ${listed(missing)}` : "",
                notReady.length ? `NotReady: ${listed(notReady)}` : "",
            ]
                .filter(Boolean)
                .join("; ");
            return fail(
                detail,
                "a node that never registered did not boot or join (talosctl -n <node ip> health); a NotReady node usually has no running Cilium agent",
            );
        },
    };
}

function agentCheck(ctx: VerifyContext): Check {
    const name = `${ciliumNamespace}/${ciliumChartObjects.agent}`;
    return {
        area,
        check: `Agent DaemonSet ${name}`,
        run: async () => {
            const ds = await read(ctx, () =>
                ctx.kube.apps.readNamespacedDaemonSet({ namespace: ciliumNamespace, name: ciliumChartObjects.agent }),
            );
            if ("error" in ds) return fail(`DaemonSet ${name}: ${ds.error}`, "the Cilium release is missing: run pulumi up");
            const s = ds.value.status;
            const want = ctx.spec.nodes.length;
            const detail = `ready ${s?.numberReady ?? 0}/${s?.desiredNumberScheduled ?? 0} scheduled, updated ${s?.updatedNumberScheduled ?? 0} (want ${want}, one per node)`;
            if (s?.desiredNumberScheduled === want && s.numberReady === want && s.updatedNumberScheduled === want) return pass(detail);
            return fail(
                detail,
                "an agent is not ready or not scheduled on every node: read its pod's log in kube-system (label k8s-app=cilium); on Talos a dropped capability or the cgroup mount are the usual causes",
            );
        },
    };
}

function operatorCheck(ctx: VerifyContext): Check {
    const name = `${ciliumNamespace}/${ciliumChartObjects.operator}`;
    return {
        area,
        check: `Operator Deployment ${name}`,
        run: async () => {
            const deployment = await read(ctx, () =>
                ctx.kube.apps.readNamespacedDeployment({ namespace: ciliumNamespace, name: ciliumChartObjects.operator }),
            );
            if ("error" in deployment)
                return fail(`Deployment ${name}: ${deployment.error}`, "the Cilium release is missing: run pulumi up");
            const want = expectedOperatorReplicas(ctx.spec);
            const ready = deployment.value.status?.readyReplicas ?? 0;
            const detail = `ready ${ready}/${deployment.value.spec?.replicas ?? 0} (want ${want})`;
            return ready === want && deployment.value.spec?.replicas === want
                ? pass(detail)
                : fail(
                      detail,
                      "the operator runs LB-IPAM: without it no LoadBalancer Service gets an address; read its pod's log in kube-system",
                  );
        },
    };
}

function configCheck(ctx: VerifyContext): Check {
    const name = `${ciliumNamespace}/${ciliumChartObjects.config}`;
    return {
        area,
        check: `ConfigMap ${name}`,
        run: async () => {
            const cm = await read(ctx, () =>
                ctx.kube.core.readNamespacedConfigMap({ namespace: ciliumNamespace, name: ciliumChartObjects.config }),
            );
            if ("error" in cm) return fail(`ConfigMap ${name}: ${cm.error}`, "the Cilium release is missing: run pulumi up");
            const want = expectedCiliumConfig(ctx.spec);
            const data = cm.value.data ?? {};
            const wrong = Object.entries(want)
                .filter(([key, value]) => data[key] !== value)
                .map(([key, value]) => `${key}=${data[key] ?? "(unset)"} (want ${value})`);
            if (!wrong.length)
                return pass(
                    Object.entries(want)
                        .map(([key, value]) => `${key}=${value}`)
                        .join(", "),
                );
            return fail(
                wrong.join(", "),
                "the running Cilium was installed with other values: run pulumi up (components/kubernetes/plan/cilium.ts); the agents read the ConfigMap at start, the values roll them",
            );
        },
    };
}

interface Pool {
    spec?: { blocks?: { start?: string; stop?: string; cidr?: string }[]; disabled?: boolean };
    status?: { conditions?: { type: string; status: string; message?: string }[] };
}

function poolCheck(ctx: VerifyContext): Check {
    const { start, stop } = ctx.spec.network.loadBalancerRange;
    return {
        area,
        check: `LB-IPAM pool ${lbPoolName}`,
        run: async () => {
            const pool = await read(
                ctx,
                () =>
                    ctx.kube.custom.getClusterCustomObject({
                        group: "cilium.io",
                        version: "v2",
                        plural: "ciliumloadbalancerippools",
                        name: lbPoolName,
                    }) as Promise<Pool>,
            );
            if ("error" in pool)
                return fail(
                    `CiliumLoadBalancerIPPool ${lbPoolName}: ${pool.error}`,
                    "the pool is missing: run pulumi up (it is created after the Cilium chart)",
                );
            const blocks = pool.value.spec?.blocks ?? [];
            const shown = blocks.map((b) => b.cidr ?? `${b.start}-${b.stop}`).join(", ") || "(none)";
            const conflict = condition(pool.value.status?.conditions, "cilium.io/PoolConflict");
            const available = condition(pool.value.status?.conditions, "cilium.io/IPsAvailable")?.message;
            const detail = `blocks ${shown} (want ${start}-${stop})${conflict ? `, PoolConflict=${conflict.status}` : ""}${available ? `, ${available} available` : ""}`;
            if (blocks.length !== 1 || blocks[0].start !== start || blocks[0].stop !== stop)
                return fail(detail, "the pool differs from homelab:network.loadBalancerRange: run pulumi up");
            if (pool.value.spec?.disabled)
                return fail(`${detail}, disabled`, "the pool is disabled: no Service gets an address from it; run pulumi up");
            if (conflict?.status === "True")
                return fail(
                    `${detail}: ${conflict.message ?? "conflict"}`,
                    "another CiliumLoadBalancerIPPool overlaps the range: delete or shrink it (kubectl get ippools)",
                );
            return pass(detail);
        },
    };
}

function ingressIps(service: k8s.V1Service): string[] {
    return (service.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => Boolean(ip));
}

function serviceCheck(ctx: VerifyContext, pinned: PinnedService): Check {
    return {
        area,
        check: `LoadBalancer ${pinned.namespace}/${pinned.name}`,
        run: async () => {
            const services = await read(ctx, ctx.services);
            if ("error" in services) return fail(`list Services: ${services.error}`, "check the kubeconfig's permissions");
            const service = services.value.find((s) => s.metadata?.namespace === pinned.namespace && s.metadata?.name === pinned.name);
            if (!service)
                return fail(
                    `Service ${pinned.namespace}/${pinned.name} not found`,
                    "its release or Gateway is missing or not programmed: run pulumi up",
                );
            const ips = ingressIps(service);
            const detail = `address ${ips.join(", ") || "(pending)"} (want ${pinned.address}, ${pinned.key})`;
            if (ips.length === 1 && ips[0] === pinned.address) return pass(detail);
            const holder = services.value.find((s) => s !== service && ingressIps(s).includes(pinned.address));
            const why = holder
                ? `${holder.metadata?.namespace}/${holder.metadata?.name} already holds ${pinned.address}: remove its claim`
                : `LB-IPAM did not hand out the pinned address: check the Service's ${lbIpsAnnotation} annotation and the pool ${lbPoolName}`;
            return fail(detail, why);
        },
    };
}

/** The lease of one Service: present, held by a Ready node, renewed within its duration. */
async function leaseVerdict(
    ctx: VerifyContext,
    service: { namespace: string; name: string },
): Promise<{ ok: true; detail: string } | { ok: false; detail: string; hint: string }> {
    const name = l2LeaseName(service);
    const lease = await read(ctx, () => ctx.kube.coordination.readNamespacedLease({ namespace: ciliumNamespace, name }));
    if ("error" in lease)
        return {
            ok: false,
            detail: `Lease ${ciliumNamespace}/${name}: ${lease.error}`,
            hint: "no agent announces this address: check the CiliumL2AnnouncementPolicy's interfaces match the node NIC and l2announcements is enabled",
        };
    const holder = lease.value.spec?.holderIdentity;
    const nodes = await read(ctx, ctx.nodes);
    const node = "value" in nodes ? nodes.value.find((n) => n.metadata?.name === holder) : undefined;
    const renewed = lease.value.spec?.renewTime ? new Date(lease.value.spec.renewTime as unknown as string) : undefined;
    const ageSeconds = renewed ? Math.round((ctx.now().getTime() - renewed.getTime()) / 1000) : undefined;
    const duration = lease.value.spec?.leaseDurationSeconds ?? 15;
    const detail = `${name} held by ${holder ?? "(nobody)"}${ageSeconds !== undefined ? `, renewed ${ageSeconds} s ago` : ""}`;
    if (!holder || !node)
        return {
            ok: false,
            detail,
            hint: "the lease's holder is not a node of the cluster: the agents cannot elect an announcer; check the agents' logs for lease errors (client rate limit)",
        };
    if (!isReady(node))
        return {
            ok: false,
            detail: `${detail}, ${holder} is NotReady`,
            hint: `the address is announced from a NotReady node and may not answer: bring ${holder} back, or delete the lease so a Ready node takes it over`,
        };
    if (ageSeconds === undefined || ageSeconds > duration)
        return {
            ok: false,
            detail: `${detail} (lease is ${duration} s)`,
            hint: "the holder stopped renewing: its agent lost the API (rate limit or KubePrism); the address stops answering until another node takes over",
        };
    return { ok: true, detail };
}

function leaseCheck(ctx: VerifyContext, pinned: PinnedService): Check {
    return {
        area,
        check: `L2 lease ${pinned.namespace}/${pinned.name}`,
        run: async () => {
            const verdict = await leaseVerdict(ctx, pinned);
            return verdict.ok ? pass(verdict.detail) : fail(verdict.detail, verdict.hint);
        },
    };
}

function otherServicesCheck(ctx: VerifyContext): Check {
    const planned = pinnedServices(ctx.spec).map((p) => `${p.namespace}/${p.name}`);
    const pool = rangeOf(ctx.spec.network.loadBalancerRange.start, ctx.spec.network.loadBalancerRange.stop)!;
    return {
        area,
        check: "Other LoadBalancer Services",
        run: async () => {
            const services = await read(ctx, ctx.services);
            if ("error" in services) return fail(`list Services: ${services.error}`, "check the kubeconfig's permissions");
            const others = services.value.filter(
                (s) => s.spec?.type === "LoadBalancer" && !planned.includes(`${s.metadata?.namespace}/${s.metadata?.name}`),
            );
            if (!others.length) return pass("none besides the planned ones");
            const problems: string[] = [];
            for (const s of others) {
                const id = `${s.metadata?.namespace}/${s.metadata?.name}`;
                const ips = ingressIps(s);
                const pinned = s.metadata?.annotations?.[lbIpsAnnotation];
                if (!ips.length) problems.push(`${id} pending`);
                else if (pinned && ips.join(",") !== pinned) problems.push(`${id} at ${ips.join(", ")}, pinned to ${pinned}`);
                else if (ips.some((ip) => !parseAddress(ip) || !inRange(parseAddress(ip)!, pool)))
                    problems.push(`${id} at ${ips.join(", ")} outside the pool`);
                else {
                    const lease = await leaseVerdict(ctx, { namespace: s.metadata!.namespace!, name: s.metadata!.name! });
                    if (!lease.ok) problems.push(lease.detail);
                }
            }
            const names = others.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`);
            return problems.length
                ? fail(
                      problems.join("; "),
                      "the pool may be exhausted or an address claimed twice: read the Service's events and the pool's conditions",
                  )
                : pass(`${listed(names)}: addressed from the pool and announced`);
        },
    };
}

export function ciliumChecks(ctx: VerifyContext): Check[] {
    const pinned = pinnedServices(ctx.spec);
    return [
        nodesCheck(ctx),
        agentCheck(ctx),
        operatorCheck(ctx),
        configCheck(ctx),
        poolCheck(ctx),
        ...pinned.map((p) => serviceCheck(ctx, p)),
        ...pinned.map((p) => leaseCheck(ctx, p)),
        otherServicesCheck(ctx),
    ];
}
