import * as http from "http";
import { AddressInfo } from "net";

// The Cloudflare API v4 on 127.0.0.1, the four reads verify makes: zone by name, tunnel by name, the
// tunnel's connections, and DNS records by name. Answers in the API's envelope `{success, errors, result}`.

export interface FakeCloudflare {
    url: string;
    token: string;
    zone: { id: string; name: string; account: { id: string } };
    tunnel: { id: string; name: string; status: string };
    connections: { id: string; conns: { colo_name: string; is_pending_reconnect: boolean }[] }[];
    /** Records by name. */
    records: Map<string, { type: string; name: string; content: string; proxied: boolean }[]>;
    log: string[];
    close(): Promise<void>;
}

export async function startFakeCloudflare(init: Omit<FakeCloudflare, "url" | "log" | "close">): Promise<FakeCloudflare> {
    const fake: FakeCloudflare = { ...init, url: "", log: [], close: async () => undefined };
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        fake.log.push(`${req.method} ${url.pathname}${url.search}`);
        const send = (code: number, result: unknown, errors: { code: number; message: string }[] = []) => {
            res.writeHead(code, { "content-type": "application/json" });
            res.end(JSON.stringify({ success: code === 200, errors, messages: [], result }));
        };
        if (req.headers.authorization !== `Bearer ${fake.token}`)
            return send(403, null, [{ code: 10000, message: "Authentication error" }]);
        const path = url.pathname.replace(/^\/client\/v4/, "");
        const q = url.searchParams;
        const account = `/accounts/${fake.zone.account.id}`;
        if (path === "/zones") return send(200, q.get("name") === fake.zone.name ? [fake.zone] : []);
        if (path === `${account}/cfd_tunnel`)
            return send(200, q.get("name") === fake.tunnel.name && q.get("is_deleted") === "false" ? [fake.tunnel] : []);
        if (path === `${account}/cfd_tunnel/${fake.tunnel.id}/connections`) return send(200, fake.connections);
        if (path === `/zones/${fake.zone.id}/dns_records`) return send(200, fake.records.get(q.get("name") ?? "") ?? []);
        return send(404, null, [{ code: 7003, message: "Could not route to " + path }]);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
    fake.close = () =>
        new Promise((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        });
    return fake;
}
