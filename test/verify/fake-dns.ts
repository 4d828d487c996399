import * as dgram from "dgram";
import * as net from "net";
import * as packet from "dns-packet";

// A DNS server on 127.0.0.1, UDP and TCP on the same port: answers A queries from its table, NXDOMAIN for
// the rest. It can fall silent (a server that does not answer) or truncate every UDP answer, which makes a
// resolver ask again over TCP.

export interface FakeDns {
    port: number;
    /** Name (lower case, no trailing dot) -> A addresses. */
    records: Map<string, string[]>;
    silent: boolean;
    truncateUdp: boolean;
    /** `udp name` / `tcp name` per query. */
    log: string[];
    close(): Promise<void>;
}

export async function startFakeDns(records: Record<string, string[]> = {}): Promise<FakeDns> {
    const fake: FakeDns = {
        port: 0,
        records: new Map(Object.entries(records)),
        silent: false,
        truncateUdp: false,
        log: [],
        close: async () => undefined,
    };

    const answer = (query: packet.Packet, transport: "udp" | "tcp"): packet.Packet => {
        const question = query.questions![0];
        const name = question.name.toLowerCase().replace(/\.$/, "");
        fake.log.push(`${transport} ${name}`);
        const addresses = fake.records.get(name);
        const truncated = transport === "udp" && fake.truncateUdp;
        return {
            type: "response",
            id: query.id,
            // The low four bits of the flags are the rcode: 3 is NXDOMAIN.
            flags:
                (truncated ? packet.TRUNCATED_RESPONSE : 0) |
                packet.RECURSION_DESIRED |
                packet.RECURSION_AVAILABLE |
                packet.AUTHORITATIVE_ANSWER |
                (addresses ? 0 : 3),
            questions: [question],
            answers:
                truncated || question.type !== "A"
                    ? []
                    : (addresses ?? []).map((data) => ({ type: "A" as const, name: question.name, ttl: 30, class: "IN" as const, data })),
        };
    };

    const udp = dgram.createSocket("udp4");
    udp.on("message", (message, remote) => {
        if (fake.silent) return;
        udp.send(packet.encode(answer(packet.decode(message), "udp")), remote.port, remote.address);
    });
    // TCP first on a free port, then UDP on the same number.
    const sockets = new Set<net.Socket>();
    const tcp = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        let buffer = Buffer.alloc(0);
        socket.on("data", (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
                const length = buffer.readUInt16BE(0);
                const query = packet.decode(buffer.subarray(2, 2 + length));
                buffer = buffer.subarray(2 + length);
                if (!fake.silent) socket.write(packet.streamEncode(answer(query, "tcp")));
            }
        });
        socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
    fake.port = (tcp.address() as net.AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
        udp.once("error", reject);
        udp.bind(fake.port, "127.0.0.1", resolve);
    });
    fake.close = async () => {
        udp.close();
        sockets.forEach((s) => s.destroy());
        await new Promise<void>((resolve) => tcp.close(() => resolve()));
    };
    return fake;
}
