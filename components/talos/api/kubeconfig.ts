// The admin kubeconfig through the Talos API, as `talosctl kubeconfig` gets it (Talos v1.13.9):
// MachineService.Kubeconfig streams common.Data chunks that together are a gzipped tar holding one file,
// `kubeconfig`. apid serves it on control planes only (workers answer UNIMPLEMENTED). Each call makes a
// new admin client certificate. The result is the ApiAccess the rollout uses; the client key stays in
// memory: no message here ever quotes the kubeconfig's text.
import { Parser, ReadEntry } from "tar";
import * as YAML from "yaml";
import { gunzipSync } from "zlib";
import type { ApiAccess } from "../../kubernetes/api-access";
import { TalosApiError, TalosClient } from "./client";

/** A real admin kubeconfig is a few KB; anything past this is refused, compressed or not. */
export const kubeconfigLimitBytes = 1 << 20;

/** A tar block: headers and padding come in these. */
const block = 512;

/**
 * One regular file's content from a tar archive, read with node-tar's parser (it hands over each entry's data as
 * it parses), at most `limitBytes`. Talos' Kubeconfig handler never closes its tar writer, so its archive ends right
 * after the file's data, without padding or the two zero blocks: the parser then reports truncated input, which is
 * the end of the archive once the file was read whole. Other entries (directories, pax headers) are skipped.
 */
export function fileFromTar(archive: Buffer, name: string, limitBytes = kubeconfigLimitBytes): Buffer {
    let file: { size: number; chunks: Buffer[]; read: number } | undefined;
    let tooLarge: string | undefined;
    let problem: string | undefined;
    const parser = new Parser({
        strict: true,
        onReadEntry: (entry: ReadEntry) => {
            if (entry.type !== "File" || entry.path.replace(/^\.\//, "") !== name || file) return entry.resume();
            if (entry.size > limitBytes) {
                tooLarge = `${name} is ${entry.size} bytes, over the ${limitBytes}-byte limit`;
                return entry.resume();
            }
            const found = { size: entry.size, chunks: [] as Buffer[], read: 0 };
            file = found;
            entry.on("data", (chunk: Buffer) => {
                found.chunks.push(chunk);
                found.read += chunk.length;
            });
        },
    });
    parser.on("error", (error: Error) => (problem ??= error.message.replace(/^TAR_[A-Z_]+: /, "")));
    parser.end(archive);
    if (tooLarge) throw new Error(tooLarge);
    if (file && file.read === file.size) return Buffer.concat(file.chunks);
    if (file) throw new Error(`${name} is truncated: ${file.read} of ${file.size} bytes`);
    throw new Error(
        problem && !/^Truncated input/.test(problem)
            ? `the archive is not a tar archive holding ${name}: ${problem}`
            : `the archive holds no file ${name}`,
    );
}

/** The kubeconfig's text from Talos' tar.gz; bounded before and after decompression. */
export function kubeconfigFromTarGz(archive: Buffer, limitBytes = kubeconfigLimitBytes): string {
    if (archive.length > limitBytes) throw new Error(`the archive is ${archive.length} bytes, over the ${limitBytes}-byte limit`);
    let tar: Buffer;
    try {
        // A tar of one file is its content plus ~1 KB of headers; maxOutputLength stops a gzip bomb early.
        tar = gunzipSync(archive, { maxOutputLength: limitBytes + 4 * block });
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ERR_BUFFER_TOO_LARGE") throw new Error(`the archive unpacks to over ${limitBytes + 4 * block} bytes`);
        throw new Error(`the archive is not gzip: ${(error as Error).message}`);
    }
    return fileFromTar(tar, "kubeconfig", limitBytes).toString("utf8");
}

/**
 * ApiAccess from a kubeconfig as Talos writes it (client-go's clientcmd: clusters, users and contexts as
 * named lists, certificates and key inline as base64 `*-data`), through its current context. Errors name
 * what is missing, never a value.
 */
export function apiAccessFromKubeconfig(text: string): ApiAccess {
    let doc: Record<string, unknown>;
    try {
        doc = YAML.parse(text) as Record<string, unknown>;
    } catch (error) {
        // The parser's message may quote the line, which may be the key: report where only.
        const at = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
        throw new Error(`the kubeconfig is not YAML${at ? ` (line ${at})` : ""}`);
    }
    if (!doc || typeof doc !== "object") throw new Error("the kubeconfig is not a YAML mapping");
    const current = doc["current-context"];
    if (typeof current !== "string" || !current) throw new Error("the kubeconfig has no current-context");
    const find = (list: string, name: string, key: string): Record<string, unknown> => {
        const entries = doc[list];
        const entry = Array.isArray(entries) ? (entries as Record<string, unknown>[]).find((e) => e?.name === name) : undefined;
        const value = entry?.[key];
        if (!value || typeof value !== "object")
            throw new Error(`the kubeconfig has no ${list} entry ${JSON.stringify(name)} with a ${key}`);
        return value as Record<string, unknown>;
    };
    const context = find("contexts", current, "context");
    const cluster = find("clusters", String(context.cluster ?? ""), "cluster");
    const user = find("users", String(context.user ?? ""), "user");
    const inline = (from: Record<string, unknown>, key: string, what: string): string => {
        const value = from[key];
        if (typeof value !== "string" || !value) throw new Error(`the kubeconfig's ${what} has no inline ${key}`);
        if (!/^[A-Za-z0-9+/]+=*$/.test(value)) throw new Error(`the kubeconfig's ${what} ${key} is not base64`);
        return value;
    };
    const server = cluster.server;
    if (typeof server !== "string" || !/^https:\/\/[^/]+/.test(server))
        throw new Error(`the kubeconfig's cluster server ${JSON.stringify(server ?? null)} is not an https:// URL`);
    return {
        host: server,
        caCertificate: inline(cluster, "certificate-authority-data", "cluster"),
        clientCertificate: inline(user, "client-certificate-data", "user"),
        clientKey: inline(user, "client-key-data", "user"),
    };
}

/** MachineService.Kubeconfig on one control plane: its admin kubeconfig as ApiAccess. */
export async function adminKubeconfig(client: TalosClient, limitBytes = kubeconfigLimitBytes): Promise<ApiAccess> {
    const method = "MachineService.Kubeconfig";
    let received = 0;
    const chunks = await client.stream<{ metadata: { error: string } | null; bytes: Buffer }>(
        "machine.MachineService",
        "Kubeconfig",
        {},
        (chunk) => {
            received += chunk.bytes.length;
            if (received > limitBytes)
                throw new TalosApiError(
                    client.endpoint.name,
                    method,
                    undefined,
                    `the kubeconfig stream passed ${limitBytes} bytes; stopped reading`,
                );
        },
    );
    // A proxied error arrives as metadata on a chunk, as talosctl's ReadStream reads it.
    const failed = chunks.find((c) => c.metadata?.error);
    if (failed) throw new TalosApiError(client.endpoint.name, method, undefined, failed.metadata!.error);
    try {
        return apiAccessFromKubeconfig(kubeconfigFromTarGz(Buffer.concat(chunks.map((c) => c.bytes)), limitBytes));
    } catch (error) {
        throw new TalosApiError(client.endpoint.name, method, undefined, (error as Error).message);
    }
}
