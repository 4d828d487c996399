// A client of one node's apid (port 50000), over mutual TLS with the talosconfig client certificate.
// We dial each node itself and send no `node` header: apid then serves the call locally (its director
// routes a call without `node`/`nodes` metadata to the local backend), and a node that is down fails
// fast instead of being proxied through a neighbour. `node` exists for routing through another endpoint,
// as talosctl does with `-e endpoint -n node` (it sets the `node` metadata per target).
import * as grpc from "@grpc/grpc-js";
import * as tls from "tls";
import { MethodDefinition, serviceDefinition } from "./protos";

/** The cluster's client configuration, as the Talos provider's `clientConfiguration` gives it. */
export interface TalosClientConfiguration {
    /** Base64 PEM of the Talos CA certificate. */
    caCertificate: string;
    /** Base64 PEM of the admin client certificate. */
    clientCertificate: string;
    /** Base64 PEM of its key. */
    clientKey: string;
}

export interface TalosEndpoint {
    /** Node name, for messages: `talos-cp-1`. */
    name: string;
    /** `172.16.1.50:50000`. */
    address: string;
    /** Route through `address` to this node (talosctl's `node` metadata); unset to talk to `address` itself. */
    node?: string;
}

export interface TalosClientOptions {
    /** Deadline of a unary call, in ms. */
    callTimeoutMs: number;
    /** Deadline of a streaming call (image pull, install), in ms. */
    streamTimeoutMs: number;
}

/** A failed call, with the node and method it failed on; `code` is the gRPC status code. */
export class TalosApiError extends Error {
    constructor(
        public readonly node: string,
        public readonly method: string,
        public readonly code: number | undefined,
        detail: string,
    ) {
        super(`${node}: Talos API ${method}: ${detail}`);
    }
}

const grpcStatusNames: Record<number, string> = {
    1: "CANCELLED",
    2: "UNKNOWN",
    4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND",
    7: "PERMISSION_DENIED",
    9: "FAILED_PRECONDITION",
    12: "UNIMPLEMENTED",
    13: "INTERNAL",
    14: "UNAVAILABLE",
    16: "UNAUTHENTICATED",
};

// A refused client certificate and a node that is down look the same to the client (no connection), so the
// message names both causes.
const unreachableHint = "the node is down or unreachable, or refused the TLS handshake (is the client configuration this cluster's?)";

/** Marks our own verdict on the node's certificate, so it can be told from the network's failures in grpc-js' text. */
const mismatchMarker = "certificate mismatch:";

/** The host of `host:port` (an IPv6 address without its brackets). */
export function hostOf(address: string): string {
    return address.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
}

/**
 * The server-identity check: Node's verdict for the address we dial (it must be among the certificate's SANs),
 * whatever name grpc-js sent as SNI, with a message that names what the certificate is for: a node answering with
 * another node's certificate, or a stale address, is a configuration problem, not a network one.
 */
function checkServerIdentity(address: string) {
    const host = hostOf(address);
    return (_servername: string, cert: tls.PeerCertificate): Error | undefined => {
        const error = tls.checkServerIdentity(host, cert);
        return error
            ? new Error(
                  `${mismatchMarker} ${address} presented a certificate for ${cert.subjectaltname || "no subject alternative names"}, not ${host}`,
              )
            : undefined;
    };
}

/**
 * Channel options of every Talos connection. grpc-js sends the target's host as the TLS server name unless told
 * another (@grpc/grpc-js 1.14.7 build/src/channel-credentials.js getConnectionOptions: `servername = remoteHost`),
 * and Node warns, once per process, that an address as server name breaks RFC 6066 (DEP0123): the node's name is
 * sent instead, a DNS label (the config's validation holds it to RFC 1123), and the certificate is still checked
 * against the address dialed (checkServerIdentity above).
 */
export function channelOptions(nodeName: string): grpc.ChannelOptions {
    return { "grpc.ssl_target_name_override": nodeName };
}

function explainGrpcError(error: grpc.ServiceError | Error): { code?: number; detail: string } {
    const code = (error as grpc.ServiceError).code;
    const details = (error as grpc.ServiceError).details ?? error.message;
    const mismatch = details.indexOf(mismatchMarker);
    if (code === 14 && mismatch >= 0)
        return {
            code,
            detail: `UNAVAILABLE: ${details.slice(mismatch).replace(/\. Resolution note: .*$/, "")} (is this the node's address, and the certificate this cluster's?)`,
        };
    // OpenSSL's verdicts on the chain: the node's certificate is not from the cluster's CA.
    const untrusted =
        /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate has expired|certificate signature failure/i.exec(
            details,
        );
    if (code === 14 && untrusted)
        return {
            code,
            detail: `UNAVAILABLE: certificate not trusted: the node's certificate is not from this cluster's CA (${untrusted[0]}): ${details.replace(/\. Resolution note: .*$/, "")}`,
        };
    if (code === 14 && /No connection established/.test(details))
        return { code, detail: `UNAVAILABLE: ${unreachableHint}: ${details.replace(/\. Resolution note: .*$/, "")}` };
    return { code, detail: code !== undefined ? `${grpcStatusNames[code] ?? `code ${code}`}: ${details}` : details };
}

export class TalosClient {
    private readonly client: grpc.Client;

    constructor(
        public readonly endpoint: TalosEndpoint,
        credentials: TalosClientConfiguration,
        private readonly options: TalosClientOptions,
    ) {
        const pem = (b64: string) => Buffer.from(b64, "base64");
        let channelCredentials: grpc.ChannelCredentials;
        try {
            channelCredentials = grpc.credentials.createSsl(
                pem(credentials.caCertificate),
                pem(credentials.clientKey),
                pem(credentials.clientCertificate),
                { checkServerIdentity: checkServerIdentity(endpoint.address) },
            );
        } catch (error) {
            throw new TalosApiError(
                endpoint.name,
                "client configuration",
                undefined,
                `the CA, client certificate or key is not usable PEM: ${(error as Error).message}`,
            );
        }
        // Reconnect no slower than we poll: grpc-js' default backoff grows to 120 s, which would leave a
        // rebooted node unnoticed for minutes.
        this.client = new grpc.Client(endpoint.address, channelCredentials, {
            ...channelOptions(endpoint.name),
            "grpc.initial_reconnect_backoff_ms": 200,
            "grpc.max_reconnect_backoff_ms": Math.max(200, Math.min(5000, options.callTimeoutMs)),
        });
    }

    close(): void {
        this.client.close();
    }

    private metadata(): grpc.Metadata {
        const metadata = new grpc.Metadata();
        if (this.endpoint.node) metadata.set("node", this.endpoint.node);
        return metadata;
    }

    /** One unary call with a deadline; a gRPC error becomes a TalosApiError naming node and method. */
    unary<T>(service: string, method: string, request: object): Promise<T> {
        const definition: MethodDefinition = serviceDefinition(service)[method];
        const deadline = Date.now() + this.options.callTimeoutMs;
        return new Promise((resolve, reject) => {
            this.client.makeUnaryRequest(
                definition.path,
                definition.requestSerialize,
                definition.responseDeserialize,
                request,
                this.metadata(),
                { deadline },
                (error, response) => {
                    if (error) {
                        const { code, detail } = explainGrpcError(error);
                        reject(new TalosApiError(this.endpoint.name, `${service.split(".").pop()}.${method}`, code, detail));
                    } else resolve(response as T);
                },
            );
        });
    }

    /** A server stream with a deadline: every message in order, or a TalosApiError. An error `onMessage`
     *  throws cancels the call and is the result (a size bound, say). */
    stream<T>(service: string, method: string, request: object, onMessage?: (message: T) => void): Promise<T[]> {
        const definition: MethodDefinition = serviceDefinition(service)[method];
        const deadline = Date.now() + this.options.streamTimeoutMs;
        return new Promise((resolve, reject) => {
            const messages: T[] = [];
            const call = this.client.makeServerStreamRequest(
                definition.path,
                definition.requestSerialize,
                definition.responseDeserialize,
                request,
                this.metadata(),
                { deadline },
            );
            call.on("data", (message: T) => {
                messages.push(message);
                try {
                    onMessage?.(message);
                } catch (error) {
                    reject(error);
                    call.cancel();
                }
            });
            call.on("error", (error: grpc.ServiceError) => {
                const { code, detail } = explainGrpcError(error);
                reject(new TalosApiError(this.endpoint.name, `${service.split(".").pop()}.${method}`, code, detail));
            });
            call.on("end", () => resolve(messages));
        });
    }
}
