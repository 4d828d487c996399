import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/verify";
import { loadKubeconfig } from "../../tools/verify/kube";
import { verify } from "../../tools/verify/run";
import { failed, named, run, startWorld, World } from "./world";
import { homeFixture } from "../harness/home";

// verify against the fakes: the healthy cluster passes every check; each fault fails exactly the checks it
// should, with the hint that names its cause, and a non-zero exit.

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("verify: live checks against fakes of the built cluster", function () {
    this.timeout(20_000);
    let world: World;
    const object = (path: string) => world.kube.objects.get(path) as Mutable;

    before(async () => {
        world = await startWorld();
        await run(world); // warm-up: the first run loads the Kubernetes client
    });
    after(() => world.close());
    beforeEach(() => world.reset());

    it("passes every check on the healthy cluster, as a table and as JSON", async () => {
        const table = await run(world, [], world.env, false);
        assert.equal(table.code, 0, table.out.join("\n"));
        const rows = table.out.filter((l) => /^(PASS|FAIL|SKIP) /.test(l));
        assert.equal(rows.length, 26);
        assert.ok(
            rows.every((r) => r.startsWith("PASS ")),
            rows.filter((r) => !r.startsWith("PASS ")).join("\n"),
        );
        assert.match(table.out[table.out.length - 1], /^\n26 checks in \d+\.\d s: 26 passed, 0 failed, 0 skipped$/);
        assert.ok(
            rows.some((r) =>
                /^PASS {2}Cilium {4}L2 lease network\/k8s-gateway-dns {18}cilium-l2announce-network-k8s-gateway-dns held by talos-worker-1, renewed \d+ s ago$/.test(
                    r,
                ),
            ),
        );
        assert.ok(
            rows.includes(
                "PASS  Cilium    ConfigMap kube-system/cilium-config               kube-proxy-replacement=true, bpf-lb-mode=dsr, bpf-lb-algorithm=maglev, enable-l2-announcements=true, routing-mode=native",
            ),
        );
        assert.ok(
            rows.includes(
                "PASS  DNS       Public records of external apps                   external.ragas.cc and blog.ragas.cc -> 8f3c1a52-6f1e-4c0a-9d4b-2e7f6a1b9c30.cfargotunnel.com",
            ),
        );

        const json = await run(world);
        assert.equal(json.code, 0);
        assert.deepEqual(JSON.parse(json.out[0]).summary, { pass: 26, fail: 0, skip: 0 });
        assert.deepEqual(named(json, "Gateway network/envoy-external"), {
            area: "Gateways",
            check: "Gateway network/envoy-external",
            status: "pass",
            detail: "Accepted=True, Programmed=True, address 172.16.1.62 (want 172.16.1.62, homelab:gateways.external)",
        });
        // Every planned name was asked of every server: 9 names x 3 servers, over UDP.
        for (const server of Object.values(world.dns))
            assert.deepEqual(
                [...new Set(server.log)].sort(),
                ["adguard", "blog", "myapp", "pve1", "pve2", "pve3", "pve4", "router", "technitium"].map((n) => `udp ${n}.ragas.cc`),
            );
    });

    it("fails a gateway that is not programmed", async () => {
        object("/apis/gateway.networking.k8s.io/v1/namespaces/network/gateways/envoy-internal").status.conditions[1] = {
            type: "Programmed",
            status: "False",
            reason: "AddressNotAssigned",
            message: "No addresses have been assigned to the Gateway",
        };
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.deepEqual(failed(r), [
            {
                area: "Gateways",
                check: "Gateway network/envoy-internal",
                status: "fail",
                detail: "Accepted=True, Programmed=False (AddressNotAssigned: No addresses have been assigned to the Gateway), address 172.16.1.61 (want 172.16.1.61, homelab:gateways.internal)",
                hint: "Envoy Gateway has not programmed envoy-internal: its Envoy pods in network are not ready or its Service has no LoadBalancer address yet (see the LB-IPAM checks)",
            },
        ]);
    });

    it("fails a gateway at another address than planned", async () => {
        object("/apis/gateway.networking.k8s.io/v1/namespaces/network/gateways/envoy-external").status.addresses = [
            { type: "IPAddress", value: "172.16.1.65" },
        ];
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "Gateway network/envoy-external",
                    "Accepted=True, Programmed=True, address 172.16.1.65 (want 172.16.1.62, homelab:gateways.external)",
                    "the Gateway's Service got another address than planned: its lbipam.cilium.io/ips annotation (spec.infrastructure) must be 172.16.1.62; run pulumi up and check no other Service holds it",
                ],
            ],
        );
    });

    it("fails a route its gateway did not accept", async () => {
        object("/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/my-app").status.parents[0].conditions[0] = {
            type: "Accepted",
            status: "False",
            reason: "NotAllowedByListeners",
            message: "No listeners included by this parent ref allowed this attachment.",
        };
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "HTTPRoute default/my-app",
                    "Accepted=False (NotAllowedByListeners: No listeners included by this parent ref allowed this attachment.), ResolvedRefs=True on network/envoy-internal (myapp.ragas.cc)",
                    "the Gateway refused the route: its listener must allow routes from this namespace (https allows all), and the hostname must fall under the listener's",
                ],
            ],
        );
    });

    it("fails a wildcard certificate with less than 14 days left", async () => {
        const notAfter = new Date(Date.now() + 5 * 86_400_000 + 3_600_000);
        object("/apis/cert-manager.io/v1/namespaces/network/certificates/wildcard-ragas-cc").status.notAfter = notAfter.toISOString();
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "Certificate network/wildcard-ragas-cc",
                    `Ready=True, expires ${notAfter.toISOString().slice(0, 10)}, in 5 days (want Ready and >= 14 days)`,
                    "renewal is failing (cert-manager renews 30 days ahead): read the cert-manager controller's log and the Certificate's events; check the Cloudflare token has not expired",
                ],
            ],
        );
    });

    it("fails a gateway presenting a certificate for another name, or one no trusted CA signed", async () => {
        world.presentCertificate(
            world.ca.issue({
                commonName: "envoy",
                dnsNames: ["envoy-external.network.svc"],
                notAfter: new Date(Date.now() + 30 * 86_400_000),
            }),
        );
        const wrongName = await run(world);
        assert.deepEqual(
            failed(wrongName).map((c) => [c.check.replace(/:\d+$/, ""), c.hint]),
            ["internal", "external"].map((g) => [
                `TLS envoy-${g} 127.0.0.1`,
                "the gateway presents another certificate: its https listener must reference the wildcard Secret, and that Secret must hold the issued certificate",
            ]),
        );
        assert.match(
            failed(wrongName)[0].detail,
            /^SNI myapp\.ragas\.cc: envoy, DNS:envoy-external\.network\.svc, expires \d{4}-\d\d-\d\d: Hostname\/IP does not match certificate's altnames: Host: myapp\.ragas\.cc\. is not in the cert's altnames: DNS:envoy-external\.network\.svc$/,
        );

        world.reset();
        const untrusted = await run(
            world,
            [],
            world.env,
            true,
            world.argv.filter((a, i, all) => a !== "--gateway-ca" && all[i - 1] !== "--gateway-ca"),
        );
        assert.deepEqual(
            failed(untrusted).map((c) => [c.detail.replace(/^.*: not trusted/, "not trusted"), c.hint]),
            ["internal", "external"].map(() => [
                "not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)",
                "the chain does not lead to a trusted root: a staging issuer? (homelab:certificates.issuer; --gateway-ca FILE trusts another CA)",
            ]),
        );
    });

    it("fails k8s_gateway answering an app with the wrong address, and the forwarders that pass it on", async () => {
        for (const server of Object.values(world.dns)) server.records.set("myapp.ragas.cc", ["172.16.1.62"]);
        const r = await run(world);
        assert.equal(r.code, 1);
        const where = (name: keyof World["dns"]) => `127.0.0.1:${world.dns[name].port}`;
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    `k8s_gateway ${where("k8sGateway")}`,
                    "myapp.ragas.cc -> 172.16.1.62 (want 172.16.1.61)",
                    "k8s_gateway answers a route's name with its Gateway's status address: check HTTPRoute default/my-app on envoy-internal is Accepted and the Gateway's address (checks above)",
                ],
                [
                    `AdGuard ${where("adguard")}`,
                    "myapp.ragas.cc -> 172.16.1.62 (want 172.16.1.61)",
                    "k8s_gateway itself answers these wrongly: fix the k8s_gateway check first",
                ],
                [
                    `Technitium ${where("technitium")}`,
                    "myapp.ragas.cc -> 172.16.1.62 (want 172.16.1.61)",
                    "k8s_gateway itself answers these wrongly: fix the k8s_gateway check first",
                ],
            ],
        );
    });

    it("fails a home resolver that does not forward the domain", async () => {
        // AdGuard without the [/ragas.cc/] upstream: its public upstream knows none of these names.
        world.dns.adguard.records.clear();
        const r = await run(world);
        assert.equal(r.code, 1);
        const [adguard, ...others] = failed(r);
        assert.equal(others.length, 0);
        assert.equal(adguard.check, `AdGuard 127.0.0.1:${world.dns.adguard.port}`);
        assert.equal(adguard.detail, "all 9 names -> NXDOMAIN (want their planned addresses)");
        assert.equal(
            adguard.hint,
            "AdGuard does not forward ragas.cc to k8s_gateway 172.16.1.60: run pulumi up (homelab:dnsForwarders.adguard), and look for a rewrite or cached answer there that shadows the domain",
        );
    });

    it("fails a DNS server that does not answer, within the timeout", async () => {
        world.dns.technitium.silent = true;
        const started = Date.now();
        const r = await run(world);
        assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
        assert.equal(r.code, 1);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    `Technitium 127.0.0.1:${world.dns.technitium.port}`,
                    "no answer within 2 s (asked 9 names)",
                    `Technitium does not answer DNS at 127.0.0.1:${world.dns.technitium.port}: is it running and listening on port 53?`,
                ],
            ],
        );
    });

    it("fails an L2 lease held by a NotReady node, and the node itself", async () => {
        object("/api/v1/nodes").items[1].status.conditions[0] = { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" };
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.match(
            failed(r)[1]?.detail,
            /^cilium-l2announce-network-envoy-internal held by talos-cp-2, renewed \d+ s ago, talos-cp-2 is NotReady$/,
        );
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.hint]),
            [
                [
                    "Nodes registered and Ready",
                    "a node that never registered did not boot or join (talosctl -n <node ip> health); a NotReady node usually has no running Cilium agent",
                ],
                [
                    "L2 lease network/envoy-internal",
                    "the address is announced from a NotReady node and may not answer: bring talos-cp-2 back, or delete the lease so a Ready node takes it over",
                ],
            ],
        );
        assert.equal(failed(r)[0].detail, "NotReady: talos-cp-2");
    });

    it("fails an agent missing on a node, Cilium running other values, and a pool in conflict", async () => {
        object("/apis/apps/v1/namespaces/kube-system/daemonsets/cilium").status.numberReady = 3;
        Object.assign(object("/api/v1/namespaces/kube-system/configmaps/cilium-config").data, {
            "bpf-lb-mode": "snat",
            "kube-proxy-replacement": "false",
        });
        object("/apis/cilium.io/v2/ciliumloadbalancerippools/lb-pool").status.conditions[0] = {
            type: "cilium.io/PoolConflict",
            status: "True",
            reason: "cidr_overlap",
            message: "Pool overlaps with CIDR of pool 'default'",
        };
        const r = await run(world);
        assert.equal(r.code, 1);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "Agent DaemonSet kube-system/cilium",
                    "ready 3/4 scheduled, updated 4 (want 4, one per node)",
                    "an agent is not ready or not scheduled on every node: read its pod's log in kube-system (label k8s-app=cilium); on Talos a dropped capability or the cgroup mount are the usual causes",
                ],
                [
                    "ConfigMap kube-system/cilium-config",
                    "kube-proxy-replacement=false (want true), bpf-lb-mode=snat (want dsr)",
                    "the running Cilium was installed with other values: run pulumi up (components/kubernetes/plan/cilium.ts); the agents read the ConfigMap at start, the values roll them",
                ],
                [
                    "LB-IPAM pool lb-pool",
                    "blocks 172.16.1.60-172.16.1.69 (want 172.16.1.60-172.16.1.69), PoolConflict=True, 7 available: Pool overlaps with CIDR of pool 'default'",
                    "another CiliumLoadBalancerIPPool overlaps the range: delete or shrink it (kubectl get ippools)",
                ],
            ],
        );
    });

    it("checks LoadBalancer Services the program does not plan: addressed from the pool, as pinned, and announced", async () => {
        const services = object("/api/v1/services").items as Mutable[];
        const extra = (name: string, ip: string | undefined, pinned?: string) => ({
            apiVersion: "v1",
            kind: "Service",
            metadata: { namespace: "media", name, ...(pinned ? { annotations: { "lbipam.cilium.io/ips": pinned } } : {}) },
            spec: { type: "LoadBalancer" },
            status: { loadBalancer: { ingress: ip ? [{ ip }] : [] } },
        });
        services.push(extra("jellyfin", "172.16.1.63"));
        world.kube.objects.set("/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cilium-l2announce-media-jellyfin", {
            metadata: { name: "cilium-l2announce-media-jellyfin" },
            spec: { holderIdentity: "talos-worker-1", leaseDurationSeconds: 15, renewTime: new Date().toISOString() },
        });
        assert.deepEqual(
            named(await run(world), "Other LoadBalancer Services").detail,
            "media/jellyfin: addressed from the pool and announced",
        );

        services.push(extra("plex", undefined), extra("sonarr", "172.16.1.64", "172.16.1.65"), extra("radarr", "192.168.0.9"));
        const r = await run(world);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "Other LoadBalancer Services",
                    "media/plex pending; media/sonarr at 172.16.1.64, pinned to 172.16.1.65; media/radarr at 192.168.0.9 outside the pool",
                    "the pool may be exhausted or an address claimed twice: read the Service's events and the pool's conditions",
                ],
            ],
        );
    });

    it("asks again over TCP when k8s_gateway truncates its UDP answers", async () => {
        world.dns.k8sGateway.truncateUdp = true;
        const r = await run(world);
        assert.equal(r.code, 0, JSON.stringify(failed(r)));
        assert.ok(
            world.dns.k8sGateway.log.includes("udp myapp.ragas.cc") && world.dns.k8sGateway.log.includes("tcp myapp.ragas.cc"),
            world.dns.k8sGateway.log.join(", "),
        );
    });

    it("fails an object that is not there: the connector's Deployment", async () => {
        world.kube.objects.delete("/apis/apps/v1/namespaces/network/deployments/cloudflared");
        const r = await run(world);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail, c.hint]),
            [
                [
                    "cloudflared Deployment network/cloudflared",
                    "Deployment network/cloudflared: not found (HTTP 404)",
                    "the connector is missing: run pulumi up",
                ],
            ],
        );
    });

    it("skips the Cloudflare checks without a token, saying which variable to set", async () => {
        const r = await run(world, [], { PATH: "" });
        assert.equal(r.code, 0);
        const skipped = r.checks.filter((c) => c.status === "skip");
        assert.deepEqual(
            skipped.map((c) => c.check),
            ["Public records of external apps", "No public record for internal apps", "Cloudflare tunnel home"],
        );
        assert.ok(
            skipped.every(
                (c) =>
                    c.detail ===
                    "no Cloudflare token: set CLOUDFLARE_API_TOKEN (Zone Read and DNS Read on the zone, Cloudflare Tunnel Read on the account) to check",
            ),
        );
        assert.equal(world.cloudflare.log.length, 0);
    });

    it("fails an external app without its record, an internal app published to the internet, a tunnel without connections", async () => {
        world.cloudflare.records.set("myapp.ragas.cc", [{ type: "A", name: "myapp.ragas.cc", content: "203.0.113.7", proxied: false }]);
        world.cloudflare.records.delete("blog.ragas.cc");
        world.cloudflare.tunnel.status = "down";
        world.cloudflare.connections = [];
        const r = await run(world);
        assert.deepEqual(
            failed(r).map((c) => [c.check, c.detail]),
            [
                ["Public records of external apps", "blog.ragas.cc: no record (want proxied CNAME external.ragas.cc)"],
                ["No public record for internal apps", "myapp.ragas.cc: A 203.0.113.7"],
                ["Cloudflare tunnel home", "status down, 0 connectors, 0 live connections"],
            ],
        );
    });

    it("--in-cluster runs a lookup pod through cluster DNS and removes it", async () => {
        const r = await run(world, ["--in-cluster"]);
        assert.equal(r.code, 0, JSON.stringify(failed(r)));
        assert.equal(
            named(r, "In-cluster lookup myapp.ragas.cc").detail,
            "myapp.ragas.cc -> 172.16.1.61 through cluster DNS (want 172.16.1.61)",
        );
        const pods = world.kube.log.filter((l) => l.includes("/namespaces/default/pods"));
        assert.equal(pods[0], "GET /api/v1/namespaces/default/pods", "first, leftovers of an earlier run are looked for");
        assert.match(pods[1], /^POST \/api\/v1\/namespaces\/default\/pods$/);
        assert.match(pods[pods.length - 1], /^DELETE \/api\/v1\/namespaces\/default\/pods\/homelab-verify-dns-[0-9a-z]+$/);
        assert.ok(![...world.kube.objects.keys()].some((k) => k.includes("/pods/")), "the pod is gone");
    });

    describe("kubeconfig and API reachability", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "homelab-verify-cli-"));
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));

        it("takes the stack output through the Pulumi CLI, else KUBECONFIG, else says what to do", async () => {
            const kubeconfig = fs.readFileSync(world.options().kubeconfig!, "utf8");
            // A stand-in `pulumi` that answers only the exact call verify makes.
            const bin = path.join(tmp, "bin");
            fs.mkdirSync(bin);
            fs.writeFileSync(path.join(tmp, "kc"), kubeconfig);
            // PATH holds only this directory, so the script uses shell builtins alone.
            fs.writeFileSync(
                path.join(bin, "pulumi"),
                `#!/bin/sh\n[ "$*" = "stack output --show-secrets kubeconfig --stack home" ] || { echo "error: no stack named '$6'" >&2; exit 3; }\nprintf '%s' '${kubeconfig}'\n`,
                { mode: 0o755 },
            );
            const viaCli = await loadKubeconfig({ stack: "home", env: { PATH: bin }, timeoutMs: 2000 });
            assert.equal(viaCli.from, "pulumi stack output kubeconfig (stack home)");
            assert.equal(viaCli.config.getCurrentCluster()?.server, world.kube.url);
            await assert.rejects(loadKubeconfig({ stack: "lab", env: { PATH: bin }, timeoutMs: 2000 }), {
                message: "pulumi stack output kubeconfig --stack lab failed: error: no stack named 'lab'",
            });

            const viaEnv = await loadKubeconfig({ stack: "home", env: { PATH: "", KUBECONFIG: path.join(tmp, "kc") }, timeoutMs: 2000 });
            assert.equal(viaEnv.from, `KUBECONFIG ${path.join(tmp, "kc")}`);
            await assert.rejects(loadKubeconfig({ stack: "home", env: { PATH: "" }, timeoutMs: 2000 }), {
                message:
                    "no kubeconfig: pass --kubeconfig FILE, install the Pulumi CLI (the stack's kubeconfig output is used), or set KUBECONFIG",
            });
        });

        it("an API that refuses connections: one line, exit 2, no stack trace (npm run verify's own entry)", async () => {
            const closed = net.createServer();
            await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
            const port = (closed.address() as net.AddressInfo).port;
            await new Promise((resolve) => closed.close(resolve));
            const file = path.join(tmp, "refused");
            fs.writeFileSync(
                file,
                fs.readFileSync(world.options().kubeconfig!, "utf8").replace(world.kube.url, `https://127.0.0.1:${port}`),
            );
            const out: string[] = [];
            const err: string[] = [];
            const code = await main(
                ["--config", homeFixture, "--kubeconfig", file, "--timeout", "2"],
                (l) => out.push(l),
                (l) => err.push(l),
                { PATH: "" },
            );
            assert.equal(code, 2);
            assert.deepEqual(out, []);
            assert.equal(err.length, 1);
            assert.match(
                err[0],
                new RegExp(
                    `^homelab verify: cannot reach the Kubernetes API at https://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port} \\(kubeconfig from ${file.replace(/[.]/g, "\\.")}; is the VIP 172\\.16\\.1\\.49 up and this machine on 172\\.16\\.1\\.0/24\\?\\)$`,
                ),
            );
        });

        it("credentials the API refuses: one line naming the answer", async () => {
            const file = path.join(tmp, "wrong-token");
            fs.writeFileSync(file, fs.readFileSync(world.options().kubeconfig!, "utf8").replace(world.kube.token, "stale-token"));
            const r = await run(world, ["--kubeconfig", file]);
            const why = `the Kubernetes API at ${world.kube.url} refused the probe: HTTP 401: Unauthorized (kubeconfig from ${file}; is it this cluster's admin kubeconfig, and current?)`;
            assert.equal(r.code, 2);
            assert.deepEqual(r.err, [`homelab verify: ${why}`]);
            // --json: the reason as a document too.
            assert.deepEqual(JSON.parse(r.out.join("\n")), { stack: "home", ok: false, error: why });
        });

        it("an API that accepts but never answers: the same one line once the timeout passes", async () => {
            world.kube.hang = true;
            const err: string[] = [];
            const started = Date.now();
            const code = await verify(world.spec, world.options(["--timeout", "1"]), {
                out: () => assert.fail("no table"),
                err: (l) => err.push(l),
                env: world.env,
                colour: false,
            });
            const elapsed = Date.now() - started;
            world.kube.hang = false;
            assert.equal(code, 2);
            assert.ok(elapsed >= 1000 && elapsed < 3000, `took ${elapsed} ms`);
            assert.deepEqual(err, [
                `homelab verify: cannot reach the Kubernetes API at ${world.kube.url}: no answer within 1 s (kubeconfig from ${world.options().kubeconfig}; is the VIP 172.16.1.49 up and this machine on 172.16.1.0/24?)`,
            ]);
        });
    });
});
