import { strict as assert } from "assert";
import { expectedAnswers, expectedCiliumConfig, l2LeaseName, pinnedServices } from "../../tools/verify/expect";
import { fail, pass, runChecks } from "../../tools/verify/check";
import { nslookupAddresses } from "../../tools/verify/in-cluster";
import { parseVerifyArgs } from "../../tools/verify/options";
import { main } from "../../tools/verify";
import { CheckResult, tableRow } from "../../tools/verify/report";
import { homeSpec } from "../harness/home";

// The command line, what verify expects of the home stack, the runner and the table: no servers needed.

describe("verify: options and expectations", () => {
    it("parses every override, and reports every bad argument at once", () => {
        const options = parseVerifyArgs([
            "--stack",
            "lab",
            "--json",
            "--resolver",
            "adguard=10.0.0.1:5353",
            "--gateway-address",
            "external=127.0.0.1:8443",
            "--cloudflare-api",
            "http://127.0.0.1:9/client/v4/",
            "--timeout",
            "1.5",
        ]);
        assert.deepEqual(
            {
                stack: options.stack,
                json: options.json,
                resolvers: options.resolvers,
                gateways: options.gatewayAddresses,
                api: options.cloudflareApi,
                timeout: options.timeoutMs,
                deadline: options.deadlineMs,
            },
            {
                stack: "lab",
                json: true,
                resolvers: { adguard: { host: "10.0.0.1", port: 5353 } },
                gateways: { external: { host: "127.0.0.1", port: 8443 } },
                api: "http://127.0.0.1:9/client/v4",
                timeout: 1500,
                deadline: 120_000,
            },
        );
        assert.throws(
            () =>
                parseVerifyArgs([
                    "--resolver",
                    "dns=172.16.1.60",
                    "--gateway-address",
                    "dmz=1.2.3.4:443",
                    "--timeout",
                    "0",
                    "--deadline",
                    "0",
                ]),
            {
                message: [
                    '--resolver dns: "172.16.1.60" is not HOST:PORT (e.g. 172.16.1.60:53)',
                    '--gateway-address: "dmz=1.2.3.4:443" must be one of internal=HOST:PORT, external=HOST:PORT',
                    '--timeout: "0" must be a number of seconds greater than 0 and at most 3600 (e.g. 5)',
                    '--deadline: "0" must be a number of seconds greater than 0 and at most 3600 (e.g. 120)',
                ].join("\n"),
            },
        );
        assert.throws(() => parseVerifyArgs(["--cloudflare-token", "secret", "--kubeconfig", "--json"]), {
            message: ["unknown option --cloudflare-token", "--kubeconfig needs a value: --kubeconfig FILE"].join("\n"),
        });
    });

    it("takes --flag=value, a repeated flag each time, and the stack of a --config file", () => {
        const options = parseVerifyArgs([
            "--kubeconfig=/tmp/kc",
            "--resolver=dns=127.0.0.1:53",
            "--resolver",
            "adguard=127.0.0.1:54",
            "--deadline=30",
            "--config=stacks/Pulumi.lab.yaml",
        ]);
        assert.equal(options.kubeconfig, "/tmp/kc");
        assert.deepEqual(options.resolvers, { dns: { host: "127.0.0.1", port: 53 }, adguard: { host: "127.0.0.1", port: 54 } });
        assert.equal(options.deadlineMs, 30_000);
        assert.equal(options.stack, "lab");
    });

    it("prints its usage for --help, exit 0, and a wrong command line is exit 2 before any stack is read", async () => {
        const out: string[] = [];
        assert.equal(
            await main(
                ["--help"],
                (l) => out.push(l),
                () => assert.fail("nothing on stderr"),
            ),
            0,
        );
        assert.match(
            out.join("\n"),
            /^Usage: npm run verify -- \[options\]\n[\s\S]*\n {2}--deadline SECONDS +Bound on the whole run \(default 120\)\.\n/,
        );
        const err: string[] = [];
        assert.equal(
            await main(
                ["--deadline", "0", "--stack", "no/such"],
                () => assert.fail("nothing on stdout"),
                (l) => err.push(l),
            ),
            2,
        );
        assert.deepEqual(err, [
            'homelab verify: --deadline: "0" must be a number of seconds greater than 0 and at most 3600 (e.g. 120)',
            "Run `npm run verify -- --help` for the options.",
        ]);
    });

    it("expects of the home stack what the program builds", () => {
        const spec = homeSpec();
        assert.deepEqual(expectedCiliumConfig(spec), {
            "kube-proxy-replacement": "true",
            "bpf-lb-mode": "dsr",
            "bpf-lb-algorithm": "maglev",
            "enable-l2-announcements": "true",
            "routing-mode": "native",
        });
        assert.deepEqual(
            pinnedServices(spec).map((s) => [`${s.namespace}/${s.name}`, s.address, l2LeaseName(s)]),
            [
                ["network/k8s-gateway-dns", "172.16.1.60", "cilium-l2announce-network-k8s-gateway-dns"],
                ["network/envoy-internal", "172.16.1.61", "cilium-l2announce-network-envoy-internal"],
                ["network/envoy-external", "172.16.1.62", "cilium-l2announce-network-envoy-external"],
            ],
        );
        assert.deepEqual(
            expectedAnswers(spec).map((a) => `${a.hostname} ${a.address}`),
            [
                "myapp.ragas.cc 172.16.1.61",
                "adguard.ragas.cc 172.16.1.11",
                "pve1.ragas.cc 172.16.1.2",
                "pve2.ragas.cc 172.16.1.3",
                "pve3.ragas.cc 172.16.1.4",
                "pve4.ragas.cc 172.16.1.5",
                "router.ragas.cc 172.16.1.1",
                "technitium.ragas.cc 172.16.1.10",
            ],
        );
    });

    it("reads the addresses busybox nslookup prints for the name, not the server's", () => {
        assert.deepEqual(
            nslookupAddresses("Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n\nName:\tmyapp.ragas.cc\nAddress: 172.16.1.61\n"),
            ["172.16.1.61"],
        );
        assert.deepEqual(
            nslookupAddresses("Server:\t\t10.43.0.10\nAddress:\t10.43.0.10:53\n\n** server can't find myapp.ragas.cc: NXDOMAIN\n"),
            [],
        );
    });
});

describe("verify: the runner and the table", () => {
    it("reports in the checks' order, a crashed check and one past the run's bound as failures", async () => {
        const reported: string[] = [];
        const results = await runChecks(
            [
                { area: "DNS", check: "slow", run: () => new Promise(() => undefined) },
                {
                    area: "DNS",
                    check: "crash",
                    run: async () => {
                        throw new Error("boom\nat somewhere");
                    },
                },
                { area: "DNS", check: "fast", run: async () => pass("ok") },
            ],
            200,
            (r) => reported.push(r.check),
        );
        assert.deepEqual(reported, ["slow", "crash", "fast"]);
        assert.deepEqual(
            results.map((r) => [r.check, r.status, r.detail]),
            [
                ["slow", "fail", "not finished within the run's bound of 0.2 s"],
                ["crash", "fail", "check crashed: boom"],
                ["fast", "pass", "ok"],
            ],
        );
    });

    it("colours the status only when asked (a terminal), and puts the fix under its row", () => {
        const result: CheckResult = {
            area: "Gateways",
            check: "Gateway network/envoy-internal",
            ...fail("Programmed=False", "run pulumi up"),
        };
        assert.equal(
            tableRow(result, false),
            `FAIL  Gateways  ${"Gateway network/envoy-internal".padEnd(48)}  Programmed=False\n${" ".repeat(16)}fix: run pulumi up`,
        );
        assert.equal(
            tableRow(result, true).split("\n")[0],
            `\x1b[31mFAIL\x1b[0m  Gateways  ${"Gateway network/envoy-internal".padEnd(48)}  Programmed=False`,
        );
    });
});
