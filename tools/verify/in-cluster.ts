import type * as k8s from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { Check, fail, pass, skip } from "./check";
import { read, VerifyContext } from "./context";
import { expectedAnswers } from "./expect";

// `--in-cluster`: the spec's `kubectl run -it --rm debug --image=alpine -- nslookup myapp.ragas.cc`, as a
// short-lived pod that resolves an app's name through cluster DNS (CoreDNS -> Talos host DNS -> the home
// resolvers -> k8s_gateway) and is removed afterwards, whatever happened.

/** Pinned like every image the program runs (components/versions.ts holds the program's; this one is the tool's). */
export const lookupImage = "busybox:1.37.0";
export const lookupNamespace = "default";
/** Pods polled every half second, for at most this long. */
export const lookupPodBoundMs = 60_000;

export function lookupPod(name: string, hostname: string): k8s.V1Pod {
    return {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: lookupNamespace, labels: { "app.kubernetes.io/name": "homelab-verify" } },
        spec: {
            restartPolicy: "Never",
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
    return lines.slice(start + 1).map((l) => /^Address(?: \d+)?:\s*([0-9.]+)\s*$/.exec(l)?.[1]).filter((a): a is string => Boolean(a));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function inClusterCheck(ctx: VerifyContext, pollMs = 500, boundMs = Math.min(lookupPodBoundMs, ctx.options.deadlineMs / 2)): Check {
    const app = expectedAnswers(ctx.spec).find((a) => a.source.startsWith("HTTPRoute"));
    return {
        area: "DNS", check: `In-cluster lookup ${app?.hostname ?? "(no app)"}`,
        run: async () => {
            if (!app) return skip("no app in homelab:apps to look up");
            const name = `homelab-verify-dns-${ctx.now().getTime().toString(36)}`;
            const created = await read(ctx, () => ctx.kube.core.createNamespacedPod({ namespace: lookupNamespace, body: lookupPod(name, app.hostname) }));
            if ("error" in created) return fail(`create pod ${lookupNamespace}/${name}: ${created.error}`, "the kubeconfig may not create pods in default");
            try {
                const until = Date.now() + boundMs;
                let phase = "Pending";
                while (Date.now() < until) {
                    const pod = await read(ctx, () => ctx.kube.core.readNamespacedPod({ namespace: lookupNamespace, name }));
                    phase = "value" in pod ? (pod.value.status?.phase ?? "Pending") : phase;
                    if (phase === "Succeeded" || phase === "Failed") break;
                    await sleep(pollMs);
                }
                if (phase !== "Succeeded" && phase !== "Failed") return fail(`pod ${name} still ${phase} after ${boundMs / 1000} s`, `the pod did not run: can the nodes pull ${lookupImage}?`);
                const log = await read(ctx, () => ctx.kube.core.readNamespacedPodLog({ namespace: lookupNamespace, name }));
                const addresses = "value" in log ? nslookupAddresses(log.value) : [];
                const detail = `${app.hostname} -> ${addresses.join(", ") || "no address"} through cluster DNS (want ${app.address})`;
                if (addresses.length === 1 && addresses[0] === app.address) return pass(detail);
                return fail(detail, "CoreDNS forwards to the node's resolvers (Talos host DNS -> homelab:network.nameservers): if the LAN checks above pass, check the nodes' nameservers");
            } finally {
                await read(ctx, () => ctx.kube.core.deleteNamespacedPod({ namespace: lookupNamespace, name, gracePeriodSeconds: 0 }));
            }
        },
    };
}
