// The admin kubeconfig through the Talos API, as `talosctl kubeconfig` gets it (Talos v1.13.9):
// MachineService.Kubeconfig streams common.Data chunks that together are a gzipped tar holding one file,
// `kubeconfig`. apid serves it on control planes only (workers answer UNIMPLEMENTED). Each call makes a
// new admin client certificate. The result is the ApiAccess the rollout uses; the client key stays in
// memory: no message here ever quotes the kubeconfig's text.
import type * as yamlTypes from "yaml";
import type * as zlibTypes from "zlib";
import type { ApiAccess } from "../../kubernetes/api-access";
import { TalosApiError, TalosClient } from "./client";

/** A real admin kubeconfig is a few KB; anything past this is refused, compressed or not. */
export const kubeconfigLimitBytes = 1 << 20;

const block = 512;

/** A NUL- (or space-) terminated ASCII field of a tar header. */
function field(header: Buffer, start: number, length: number): string {
    const raw = header.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end < 0 ? raw.length : end).toString("latin1");
}

function octal(header: Buffer, start: number, length: number, what: string): number {
    if (header[start] & 0x80) throw new Error(`tar ${what} is in base-256, which no kubeconfig needs`);
    const text = field(header, start, length).trim();
    if (!/^[0-7]+$/.test(text)) throw new Error(`tar ${what} ${JSON.stringify(text)} is not octal`);
    return parseInt(text, 8);
}

/**
 * One regular file's content from a ustar (POSIX or GNU) archive: headers of 512 bytes (name at 0, size at
 * 124, checksum at 148, type at 156, prefix at 345), data padded to 512. Talos' Kubeconfig handler never
 * closes its tar writer, so its archive ends right after the file's data, without padding or the two zero
 * blocks: the end of input is an end of archive too. Other entries (directories, pax headers) are skipped.
 */
export function fileFromTar(archive: Buffer, name: string, limitBytes = kubeconfigLimitBytes): Buffer {
    for (let offset = 0; offset < archive.length;) {
        if (archive.length - offset < block) throw new Error(`tar header at byte ${offset} is truncated (${archive.length - offset} of ${block} bytes)`);
        const header = archive.subarray(offset, offset + block);
        if (header.every((b) => b === 0)) break;
        const checksum = octal(header, 148, 8, "checksum");
        const sum = header.reduce((total, b, i) => total + (i >= 148 && i < 156 ? 0x20 : b), 0);
        if (sum !== checksum) throw new Error(`tar header at byte ${offset} has checksum ${checksum}, computed ${sum}: not a tar archive`);
        const size = octal(header, 124, 12, "size");
        const type = String.fromCharCode(header[156] || 0x30);
        const prefix = field(header, 257, 6).startsWith("ustar") ? field(header, 345, 155) : "";
        const path = (prefix ? `${prefix}/` : "") + field(header, 0, 100);
        const start = offset + block;
        if (type === "0" && path.replace(/^\.\//, "") === name) {
            if (size > limitBytes) throw new Error(`${name} is ${size} bytes, over the ${limitBytes}-byte limit`);
            if (archive.length - start < size) throw new Error(`${name} is truncated: ${archive.length - start} of ${size} bytes`);
            return archive.subarray(start, start + size);
        }
        offset = start + Math.ceil(size / block) * block;
    }
    throw new Error(`the archive holds no file ${name}`);
}

/** The kubeconfig's text from Talos' tar.gz; bounded before and after decompression. */
export function kubeconfigFromTarGz(archive: Buffer, limitBytes = kubeconfigLimitBytes): string {
    if (archive.length > limitBytes) throw new Error(`the archive is ${archive.length} bytes, over the ${limitBytes}-byte limit`);
    const zlib = require("zlib") as typeof zlibTypes;
    let tar: Buffer;
    try {
        // A tar of one file is its content plus ~1 KB of headers; maxOutputLength stops a gzip bomb early.
        tar = zlib.gunzipSync(archive, { maxOutputLength: limitBytes + 4 * block });
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
    const YAML = require("yaml") as typeof yamlTypes;
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
        if (!value || typeof value !== "object") throw new Error(`the kubeconfig has no ${list} entry ${JSON.stringify(name)} with a ${key}`);
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
    if (typeof server !== "string" || !/^https:\/\/[^/]+/.test(server)) throw new Error(`the kubeconfig's cluster server ${JSON.stringify(server ?? null)} is not an https:// URL`);
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
    const chunks = await client.stream<{ metadata: { error: string } | null; bytes: Buffer }>("machine.MachineService", "Kubeconfig", {}, (chunk) => {
        received += chunk.bytes.length;
        if (received > limitBytes) throw new TalosApiError(client.endpoint.name, method, undefined, `the kubeconfig stream passed ${limitBytes} bytes; stopped reading`);
    });
    // A proxied error arrives as metadata on a chunk, as talosctl's ReadStream reads it.
    const failed = chunks.find((c) => c.metadata?.error);
    if (failed) throw new TalosApiError(client.endpoint.name, method, undefined, failed.metadata!.error);
    try {
        return apiAccessFromKubeconfig(kubeconfigFromTarGz(Buffer.concat(chunks.map((c) => c.bytes)), limitBytes));
    } catch (error) {
        throw new TalosApiError(client.endpoint.name, method, undefined, (error as Error).message);
    }
}
