import { strict as assert } from "assert";
import { EventEmitter } from "events";
import {
    verifyAccessManifests,
    verifyClusterRules,
    verifyLookup,
    verifyNamespaceRules,
} from "../../components/kubernetes/plan/verify-access";
import { lookupPod, lookupPodDeadlineSeconds } from "../../tools/verify/in-cluster";
import { cloudflareApiUrl, parseVerifyArgs } from "../../tools/verify/options";
import { failed, named, run, startWorld, World } from "./world";

// `--in-cluster` leaves nothing behind: not on Ctrl-C or a kill, not when the run's deadline cuts the check off,
// not after a crash (the next run removes leftovers by label; the kubelet stops the pod at its deadline). And the
// homelab-verify ServiceAccount the program makes allows every request verify sends, and no rule goes unused.

const pods = "/api/v1/namespaces/default/pods";

describe("verify --in-cluster: cleanup", function () {
    this.timeout(30_000);
    let world: World;
    before(async () => {
        world = await startWorld();
    });
    after(() => world.close());
    beforeEach(() => world.reset());
    const podsLeft = () => [...world.kube.objects.keys()].filter((k) => k.startsWith(`${pods}/`));
    const until = async (condition: () => boolean, what: string) => {
        for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
        assert.ok(condition(), what);
    };

    it("gives the pod a deadline the kubelet enforces, and the label leftovers are found by", () => {
        const pod = lookupPod("homelab-verify-dns-x", "myapp.ragas.cc");
        assert.equal(pod.spec?.activeDeadlineSeconds, lookupPodDeadlineSeconds);
        assert.ok(lookupPodDeadlineSeconds >= 60 + 30, "longer than the poll bound, with slack");
        assert.deepEqual(pod.metadata?.labels, { "app.kubernetes.io/name": "homelab-verify" });
    });

    it("removes leftover lookup pods of an earlier run at start, and nothing else", async () => {
        world.kube.objects.set(`${pods}/homelab-verify-dns-old`, {
            metadata: { name: "homelab-verify-dns-old", namespace: "default", labels: { ...verifyLookup.labels } },
            status: { phase: "Failed" },
        });
        world.kube.objects.set(`${pods}/my-app-1`, {
            metadata: { name: "my-app-1", namespace: "default", labels: { app: "my-app" } },
            status: { phase: "Running" },
        });
        const r = await run(world, ["--in-cluster"]);
        assert.equal(r.code, 0, JSON.stringify(failed(r)));
        assert.match(
            named(r, "In-cluster lookup myapp.ragas.cc").detail,
            /; removed 1 leftover lookup pod of an earlier run \(homelab-verify-dns-old\)$/,
        );
        assert.deepEqual(podsLeft(), [`${pods}/my-app-1`]);
        assert.ok(world.kube.log.includes(`DELETE ${pods}/homelab-verify-dns-old`));
    });

    for (const [signal, code] of [
        ["SIGINT", 130],
        ["SIGTERM", 143],
    ] as const) {
        it(`on ${signal} removes the pod, then exits ${code}`, async () => {
            world.kube.podPhase = "Pending";
            const signals = new EventEmitter();
            const exits: number[] = [];
            const running = run(world, ["--in-cluster", "--deadline", "2"], world.env, true, world.argv, {
                signals,
                exit: (c) => exits.push(c),
            });
            await until(() => podsLeft().length === 1, "the pod was created");
            signals.emit(signal, signal);
            await until(() => exits.length === 1, "exit was called");
            assert.deepEqual(exits, [code]);
            assert.deepEqual(podsLeft(), [], "the pod is gone before the process ends");
            await running;
            assert.equal(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"), 0, "the handlers are removed after the run");
        });
    }

    it("removes the pod when the run's deadline cuts the check off mid-call", async () => {
        world.kube.podReadDelayMs = 3000;
        const r = await run(world, ["--in-cluster", "--timeout", "5", "--deadline", "1.5"]);
        assert.match(named(r, "In-cluster lookup myapp.ragas.cc").detail, /^not finished within the run's bound of 1\.\d+ s$/);
        assert.deepEqual(podsLeft(), [], "removed before verify returned");
    });
});

describe("verify's own access (homelab-verify)", function () {
    this.timeout(30_000);
    let world: World;
    before(async () => {
        world = await startWorld();
    });
    after(() => world.close());

    /** Which rule, if any, allows `METHOD path` (the API server's RBAC attributes for a resource request). */
    function allowedBy(request: string): string | undefined {
        const [method, path] = request.split(" ");
        if (path === "/version") return "system:public-info-viewer";
        const match = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
        if (!match) return undefined;
        const [, group = "", namespace, resource, name, sub] = match;
        const verb = method === "POST" ? "create" : method === "DELETE" ? "delete" : name && !sub ? "get" : sub ? "get" : "list";
        const rules = [
            ...verifyClusterRules.map((r) => ["ClusterRole", r] as const),
            ...(namespace ? (verifyNamespaceRules[namespace] ?? []).map((r) => [`Role ${namespace}`, r] as const) : []),
        ];
        const hit = rules.find(
            ([, r]) =>
                r.apiGroups.includes(group) &&
                r.resources.includes(sub ? `${resource}/${sub}` : resource) &&
                r.verbs.includes(verb) &&
                (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
        );
        return hit ? `${hit[0]} ${hit[1].resources.join(",")} ${verb}` : undefined;
    }

    it("allows every request of a full run, --in-cluster included, and each of its rules is needed", async () => {
        world.reset();
        world.kube.objects.set(`${pods}/homelab-verify-dns-old`, {
            metadata: { name: "homelab-verify-dns-old", namespace: "default", labels: { ...verifyLookup.labels } },
        });
        const r = await run(world, ["--in-cluster"]);
        assert.equal(r.code, 0, JSON.stringify(failed(r)));
        const requests = [...new Set(world.kube.log)];
        assert.deepEqual(
            requests.filter((request) => !allowedBy(request)),
            [],
        );
        const used = new Set(requests.map(allowedBy));
        const granted = [
            ...verifyClusterRules.flatMap((rule) => rule.verbs.map((verb) => `ClusterRole ${rule.resources.join(",")} ${verb}`)),
            ...Object.entries(verifyNamespaceRules).flatMap(([ns, rules]) =>
                rules.flatMap((rule) => rule.verbs.map((verb) => `Role ${ns} ${rule.resources.join(",")} ${verb}`)),
            ),
        ];
        assert.deepEqual(
            granted.filter((g) => !used.has(g)),
            [],
        );
    });

    it("binds one ServiceAccount in kube-system, where no app may run, and mounts no token into pods", () => {
        const m = verifyAccessManifests();
        assert.deepEqual(m.serviceAccount.metadata, { name: "homelab-verify", namespace: "kube-system" });
        assert.equal(m.serviceAccount.automountServiceAccountToken, false);
        assert.deepEqual(m.clusterRoleBinding.subjects, [{ kind: "ServiceAccount", name: "homelab-verify", namespace: "kube-system" }]);
        assert.deepEqual(
            m.namespaced.map((n) => [n.role.metadata.namespace, n.binding.roleRef.name]),
            [
                ["kube-system", "homelab-verify"],
                ["network", "homelab-verify"],
                ["default", "homelab-verify"],
            ],
        );
        const verbs = [...verifyClusterRules, ...Object.values(verifyNamespaceRules).flat()].flatMap((r) => r.verbs);
        assert.deepEqual([...new Set(verbs)].sort(), ["create", "delete", "get", "list"], "no update, patch, watch or escalation");
        assert.ok(
            ![...verifyClusterRules, ...Object.values(verifyNamespaceRules).flat()].some((r) => r.resources.includes("secrets")),
            "no Secret",
        );
    });
});

describe("verify --cloudflare-api", () => {
    it("must be https, except to this machine", () => {
        assert.equal(cloudflareApiUrl("https://api.cloudflare.com/client/v4/"), "https://api.cloudflare.com/client/v4");
        assert.equal(cloudflareApiUrl("http://127.0.0.1:8787/client/v4"), "http://127.0.0.1:8787/client/v4");
        assert.equal(cloudflareApiUrl("http://localhost:8787"), "http://localhost:8787");
        assert.throws(() => parseVerifyArgs(["--cloudflare-api", "http://cf-proxy.home.arpa/client/v4"]), {
            message:
                "--cloudflare-api: http://cf-proxy.home.arpa is not https: the Cloudflare token would cross the network in clear text (plain http is allowed only to this machine)",
        });
        assert.throws(() => parseVerifyArgs(["--cloudflare-api", "api.cloudflare.com"]), {
            message: '--cloudflare-api: "api.cloudflare.com" is not a URL (e.g. https://api.cloudflare.com/client/v4)',
        });
    });
});
