import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import {
    maxAnswerBytes,
    pendingChanges,
    PowerCycleTiming,
    ProxmoxAccess,
    rebootApplyingPending,
} from "../../components/proxmox/power-cycle";

// A fake Proxmox API on 127.0.0.1: one VM with a pending memory change, the reboot task it starts, and a
// record of every request, so the test sees what the rolling restart would ask of a real host.

interface FakeVm {
    pending: { key: string; value?: unknown; pending?: unknown; delete?: number }[];
    /** How many status polls the reboot task stays running. */
    taskPolls: number;
    exitstatus: string;
    /** Set when the client hung up on the endless answer. */
    streamClosed?: boolean;
}

function fakeProxmox(vm: FakeVm) {
    const requests: string[] = [];
    let polls = 0;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
            requests.push(`${req.method} ${req.url}${body ? ` ${body}` : ""} [${req.headers.authorization}]`);
            const send = (code: number, data: unknown) => {
                res.writeHead(code, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ data }));
            };
            if (req.method === "GET" && req.url === "/api2/json/nodes/pve2/qemu/151/pending") return send(200, vm.pending);
            if (req.url === "/api2/json/nodes/pve2/qemu/152/pending") {
                // An answer that never ends: the client must stop reading at its bound, not buffer it all.
                res.writeHead(200, { "Content-Type": "application/json" });
                const chunk = Buffer.alloc(64 * 1024, "a");
                const pump = () => {
                    while (!res.destroyed && res.write(chunk));
                    if (!res.destroyed) res.once("drain", pump);
                };
                res.on("close", () => (vm.streamClosed = true));
                return pump();
            }
            if (req.method === "POST" && req.url === "/api2/json/nodes/pve2/qemu/151/status/reboot") {
                polls = 0;
                return send(200, "UPID:pve2:0000ABCD:qmreboot:151:pulumi@pve!homelab:");
            }
            if (
                req.method === "GET" &&
                req.url ===
                    `/api2/json/nodes/pve2/tasks/${encodeURIComponent("UPID:pve2:0000ABCD:qmreboot:151:pulumi@pve!homelab:")}/status`
            ) {
                polls += 1;
                if (polls <= vm.taskPolls) return send(200, { status: "running" });
                if (vm.exitstatus === "OK") vm.pending = vm.pending.map(({ key, pending }) => ({ key, value: pending }));
                return send(200, { status: "stopped", exitstatus: vm.exitstatus });
            }
            send(404, null);
        });
    });
    return { server, requests };
}

const timing: PowerCycleTiming = { callTimeoutMs: 2000, shutdownTimeoutSeconds: 600, taskTimeoutMs: 2000, pollIntervalMs: 5 };
const vmRef = { name: "talos-cp-2", host: "pve2", vmId: 151 };

describe("Proxmox power cycle for pending hardware", () => {
    let fake: ReturnType<typeof fakeProxmox>;
    let api: ProxmoxAccess;
    let state: FakeVm;
    beforeEach(async () => {
        state = {
            pending: [
                { key: "cores", value: 4 },
                { key: "memory", value: 8192, pending: 16384 },
                { key: "name", value: "talos-cp-2" },
            ],
            taskPolls: 2,
            exitstatus: "OK",
        };
        fake = fakeProxmox(state);
        await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
        api = { endpoint: `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`, apiToken: "pulumi@pve!homelab=CANARY-token" };
    });
    afterEach(() => new Promise<void>((resolve) => fake.server.close(() => resolve())));

    it("reads only the keys with a pending value or delete", async () => {
        state.pending.push({ key: "balloon", value: 0, delete: 1 }, { key: "agent", value: "1", delete: 0 });
        assert.deepEqual(await pendingChanges(api, vmRef, 2000), ["balloon", "memory"]);
    });

    it("reboots through Proxmox, waits for the task and checks nothing is left pending", async () => {
        assert.deepEqual(await rebootApplyingPending(api, vmRef, timing), ["memory"]);
        const auth = "[PVEAPIToken=pulumi@pve!homelab=CANARY-token]";
        const upid = encodeURIComponent("UPID:pve2:0000ABCD:qmreboot:151:pulumi@pve!homelab:");
        assert.deepEqual(fake.requests, [
            `GET /api2/json/nodes/pve2/qemu/151/pending ${auth}`,
            `POST /api2/json/nodes/pve2/qemu/151/status/reboot timeout=600 ${auth}`,
            `GET /api2/json/nodes/pve2/tasks/${upid}/status ${auth}`,
            `GET /api2/json/nodes/pve2/tasks/${upid}/status ${auth}`,
            `GET /api2/json/nodes/pve2/tasks/${upid}/status ${auth}`,
            `GET /api2/json/nodes/pve2/qemu/151/pending ${auth}`,
        ]);
    });

    it("still reboots a VM with nothing pending (a change Proxmox applied live), reporting none applied", async () => {
        state.pending = [{ key: "memory", value: 16384 }];
        assert.deepEqual(await rebootApplyingPending(api, vmRef, timing), []);
        assert.deepEqual(
            fake.requests.map((r) =>
                r
                    .split(" ")
                    .slice(0, 2)
                    .join(" ")
                    .replace(/tasks\/.*\/status/, "tasks/<upid>/status"),
            ),
            [
                "GET /api2/json/nodes/pve2/qemu/151/pending",
                "POST /api2/json/nodes/pve2/qemu/151/status/reboot",
                "GET /api2/json/nodes/pve2/tasks/<upid>/status",
                "GET /api2/json/nodes/pve2/tasks/<upid>/status",
                "GET /api2/json/nodes/pve2/tasks/<upid>/status",
                "GET /api2/json/nodes/pve2/qemu/151/pending",
            ],
        );
    });

    it("fails naming the VM and the check when the task fails or outlasts its bound", async () => {
        state.exitstatus = "VM quit/powerdown failed";
        await assert.rejects(rebootApplyingPending(api, vmRef, timing), {
            message: 'talos-cp-2 (pve2/151): reboot task: ended with "VM quit/powerdown failed"',
        });
        state.exitstatus = "OK";
        state.taskPolls = 1_000_000;
        const started = Date.now();
        await assert.rejects(rebootApplyingPending(api, vmRef, { ...timing, taskTimeoutMs: 50 }), {
            message: "talos-cp-2 (pve2/151): reboot task: still running after 50 ms",
        });
        assert.ok(Date.now() - started < 1000, "the wait is bounded");
    });

    it("stops reading an answer past its bound instead of buffering it whole", async () => {
        await assert.rejects(pendingChanges(api, { ...vmRef, vmId: 152 }, 5000), {
            message: `talos-cp-2 (pve2/152): GET /nodes/pve2/qemu/152/pending: the answer is larger than ${maxAnswerBytes} bytes; refusing to read it`,
        });
        for (let i = 0; i < 100 && !state.streamClosed; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(state.streamClosed, true, "the client hung up");
    });

    it("never sends the token over plain http to anything but this machine", async () => {
        // Refused before any connection: 172.16.1.2 is configuration here, never a target.
        await assert.rejects(pendingChanges({ ...api, endpoint: "http://172.16.1.2:8006" }, vmRef, 2000), {
            message:
                "talos-cp-2 (pve2/151): GET /nodes/pve2/qemu/151/pending: refusing to send the API token to http://172.16.1.2:8006: the endpoint must be https",
        });
        // A name that only starts like a loopback address is any host on the network.
        await assert.rejects(pendingChanges({ ...api, endpoint: "http://127.example.net:8006" }, vmRef, 2000), {
            message:
                "talos-cp-2 (pve2/151): GET /nodes/pve2/qemu/151/pending: refusing to send the API token to http://127.example.net:8006: the endpoint must be https",
        });
    });

    it("names the VM and the call when the API refuses or nobody answers", async () => {
        await assert.rejects(pendingChanges(api, { ...vmRef, vmId: 999 }, 2000), {
            message: "talos-cp-2 (pve2/999): GET /nodes/pve2/qemu/999/pending: HTTP 404 Not Found",
        });
        const closed = { ...api, endpoint: "http://127.0.0.1:1" };
        await assert.rejects(pendingChanges(closed, vmRef, 2000), {
            name: "ProxmoxError",
            message: "talos-cp-2 (pve2/151): GET /nodes/pve2/qemu/151/pending: connect ECONNREFUSED 127.0.0.1:1",
        });
    });
});
