import { alignCells } from "../table";

// What a check found, and how it is shown: a streamed table for people (colour only on a terminal) and one
// JSON document for machines.

export type Area = "Cilium" | "Gateways" | "DNS" | "Tunnel";
export type Status = "pass" | "fail" | "skip";

export interface CheckResult {
    area: Area;
    /** What was checked: `Gateway network/envoy-internal`. */
    check: string;
    status: Status;
    /** What was compared with what: `Programmed=True, address 172.16.1.61 (want 172.16.1.61)`. */
    detail: string;
    /** On failure: the likely cause and the fix. */
    hint?: string;
}

export interface Summary {
    pass: number;
    fail: number;
    skip: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
    const count = (status: Status) => results.filter((r) => r.status === status).length;
    return { pass: count("pass"), fail: count("fail"), skip: count("skip") };
}

/** Exit code: 0 only when nothing failed. */
export function exitCode(results: readonly CheckResult[]): number {
    return results.some((r) => r.status === "fail") ? 1 : 0;
}

const colours: Record<Status, string> = { pass: "\x1b[32m", fail: "\x1b[31m", skip: "\x1b[33m" };
const reset = "\x1b[0m";
/** Status, area and check columns; the detail is last and left ragged. Fixed, so rows can stream. */
const widths = [4, 8, 48];
const gap = "  ";

/** The table's header, then one row per result as it arrives. */
export function tableHeader(): string {
    return alignCells(["", "AREA", "CHECK", "DETAIL"], widths).join(gap);
}

export function tableRow(result: CheckResult, colour: boolean): string {
    const [label, ...rest] = alignCells([result.status.toUpperCase(), result.area, result.check, result.detail], widths);
    const line = [colour ? `${colours[result.status]}${label}${reset}` : label, ...rest].join(gap);
    if (!result.hint) return line;
    const indent = " ".repeat(widths[0] + gap.length + widths[1] + gap.length);
    return `${line}\n${indent}fix: ${result.hint}`;
}

export function summaryLine(results: readonly CheckResult[], seconds: number, colour: boolean): string {
    const s = summarize(results);
    const text = `${results.length} checks in ${seconds.toFixed(1)} s: ${s.pass} passed, ${s.fail} failed, ${s.skip} skipped`;
    return colour ? `${s.fail ? colours.fail : colours.pass}${text}${reset}` : text;
}

export function jsonReport(stack: string, results: readonly CheckResult[], seconds: number): string {
    return JSON.stringify(
        { stack, ok: exitCode(results) === 0, seconds: Number(seconds.toFixed(3)), summary: summarize(results), checks: results },
        null,
        2,
    );
}
