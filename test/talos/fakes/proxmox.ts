// A Proxmox API on 127.0.0.1 whose VM reboot task restarts the matching fake node (qemu-server's vm_reboot:
// a shutdown and a start, which applies pending hardware). VM ids are 150 + the node's index in the cluster,
// looked up on each request so a node that joins later has its VM too.
import * as http from "http";
import { AddressInfo } from "net";
import { FakeCluster } from "./cluster";

export interface FakeProxmox {
    server: http.Server;
    /** Node names whose VM was rebooted through the API, in order. */
    reboots: string[];
    endpoint(): string;
    close(): Promise<void>;
}

export async function startFakeProxmox(cluster: FakeCluster, failFor: string[] = []): Promise<FakeProxmox> {
    const reboots: string[] = [];
    const server = http.createServer((req, res): void => {
        const send = (data: unknown): void => void res.end(JSON.stringify({ data }));
        const reboot = /^\/api2\/json\/nodes\/pve\d\/qemu\/(\d+)\/status\/reboot$/.exec(req.url ?? "");
        if (req.method === "POST" && reboot) {
            const name = [...cluster.nodes.keys()][Number(reboot[1]) - 150];
            reboots.push(name);
            if (!failFor.includes(name)) cluster.reboot(name);
            return send(`UPID:${name}`);
        }
        if (req.url?.endsWith("/pending")) return send([{ key: "cores", value: 8 }]);
        const task = /\/tasks\/UPID%3A(.+)\/status$/.exec(req.url ?? "");
        if (task)
            return send({ status: "stopped", exitstatus: failFor.includes(task[1]) ? "VM quit/powerdown failed - got timeout" : "OK" });
        res.statusCode = 404;
        send(null);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        server,
        reboots,
        endpoint: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

/** Each node's VM as the rollout's Proxmox input names it: host pve1..pve4 in turn, vmId 150 + index. */
export function fakeVms(cluster: FakeCluster): Record<string, { host: string; vmId: number }> {
    return Object.fromEntries([...cluster.nodes.keys()].map((n, i) => [n, { host: `pve${(i % 4) + 1}`, vmId: 150 + i }]));
}
