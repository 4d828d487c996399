import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { Check, fail, pass, skip } from "./check";
import { read, VerifyContext } from "./context";
import { expectedAnswers } from "./expect";
import { verifyLookup } from "../../components/kubernetes/plan/verify-access";

// `--in-cluster`: the spec's `kubectl run -it --rm debug --image=alpine -- nslookup myapp.ragas.cc`, as a
// short-lived pod that resolves an app's name through cluster DNS (CoreDNS -> Talos host DNS -> the home
// resolvers -> k8s_gateway) and is removed afterwards, whatever happened: at the end of the check, when the run's
// deadline or a signal stops the run (run.ts runs the check's cleanup), and, should this process die before any
// of those, by the next run (leftovers carry the label) and by the kubelet (activeDeadlineSeconds).

/** Pinned like every image the program runs (components/versions.ts holds the program's; this one is the tool's). */
export const lookupImage = "busybox:1.37.0";
export const lookupNamespace = verifyLookup.namespace;
/** Pods polled every half second, for at most this long. */
export const lookupPodBoundMs = 60_000;
/** The kubelet stops the pod after this long whatever happens to this process: the poll bound and slack. */
export const lookupPodDeadlineSeconds = 120;

export function lookupPod(name: string, hostname: string): k8s.V1Pod {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: lookupNamespace, labels: { ...verifyLookup.labels } },
        spec: {
            restartPolicy: "Never",
            activeDeadlineSeconds: lookupPodDeadlineSeconds,
            automountServiceAccountToken: false,
            // Meets the restricted Pod Security Standard, so any namespace policy admits it.
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
                {
                    name: "lookup",
                    image: lookupImage,
                    command: ["nslookup", hostname],
                    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
                    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
                },
            ],
        },
    };
}

/** The addresses busybox nslookup printed for the name (the lines after `Name:`; the first `Address:` is the server's). */
export function nslookupAddresses(log: string): string[] {
    const lines = log.split("\n");
    const start = lines.findIndex((l) => /^Name:\s/.test(l));
    if (start < 0) return [];
    return lines
        .slice(start + 1)
        .map((l) => /^Address(?: \d+)?:\s*([0-9.]+)\s*$/.exec(l)?.[1])
        .filter((a): a is string => Boolean(a));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function inClusterCheck(ctx: VerifyContext, pollMs = 500, boundMs = Math.min(lookupPodBoundMs, ctx.options.deadlineMs / 2)): Check {
    const app = expectedAnswers(ctx.spec).find((a) => a.source.startsWith("HTTPRoute"));
    return {
        area: "DNS",
        check: `In-cluster lookup ${app?.hostname ?? "(no app)"}`,
        run: async () => {
            if (!app) return skip("no app in homelab:apps to look up");
            const leftovers = await removeLeftovers(ctx);
            const name = `homelab-verify-dns-${ctx.now().getTime().toString(36)}`;
            let creating: Promise<unknown> | undefined;
            // Registered before the create is sent, and waiting for it: a stop during the create still removes the pod.
            const remove = async () => {
                await creating;
                return read(ctx, () => ctx.kube.core.deleteNamespacedPod({ namespace: lookupNamespace, name, gracePeriodSeconds: 0 }));
            };
            ctx.cleanups.add(remove);
            try {
                const create = read(ctx, () =>
                    ctx.kube.core.createNamespacedPod({ namespace: lookupNamespace, body: lookupPod(name, app.hostname) }),
                );
                creating = create;
                const created = await create;
                if ("error" in created)
                    return fail(
                        `create pod ${lookupNamespace}/${name}: ${created.error}`,
                        "the kubeconfig may not create pods in default (the homelab-verify Role allows it)",
                    );
                const until = Date.now() + boundMs;
                let phase = "Pending";
                while (Date.now() < until) {
                    const pod = await read(ctx, () => ctx.kube.core.readNamespacedPod({ namespace: lookupNamespace, name }));
                    phase = "value" in pod ? (pod.value.status?.phase ?? "Pending") : phase;
                    if (phase === "Succeeded" || phase === "Failed") break;
                    await sleep(pollMs);
                }
                if (phase !== "Succeeded" && phase !== "Failed")
                    return fail(
                        `pod ${name} still ${phase} after ${boundMs / 1000} s`,
                        `the pod did not run: can the nodes pull ${lookupImage}?`,
                    );
                const log = await read(ctx, () => ctx.kube.core.readNamespacedPodLog({ namespace: lookupNamespace, name }));
                const addresses = "value" in log ? nslookupAddresses(log.value) : [];
                const detail = `${app.hostname} -> ${addresses.join(", ") || "no address"} through cluster DNS (want ${app.address})${leftovers ? `; removed ${leftovers}` : ""}`;
                if (addresses.length === 1 && addresses[0] === app.address) return pass(detail);
                return fail(
                    detail,
                    "CoreDNS forwards to the node's resolvers (Talos host DNS -> homelab:network.nameservers): if the LAN checks above pass, check the nodes' nameservers",
                );
            } finally {
                ctx.cleanups.delete(remove);
                await remove();
            }
        },
    };
}

/** Deletes lookup pods an earlier run left behind (found by label); says how many, or "" when none. */
async function removeLeftovers(ctx: VerifyContext): Promise<string> {
    const selector = Object.entries(verifyLookup.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(",");
    const pods = await read(ctx, () => ctx.kube.core.listNamespacedPod({ namespace: lookupNamespace, labelSelector: selector }));
    if ("error" in pods) return "";
    const names = pods.value.items.map((p) => p.metadata?.name).filter((n): n is string => Boolean(n));
    await Promise.all(
        names.map((name) =>
            read(ctx, () => ctx.kube.core.deleteNamespacedPod({ namespace: lookupNamespace, name, gracePeriodSeconds: 0 })),
        ),
    );
    return names.length
        ? `${names.length} leftover lookup pod${names.length === 1 ? "" : "s"} of an earlier run (${names.join(", ")})`
        : "";
}
