// The one table renderer of the project: Markdown tables (plan, docs, bench, the README's day-2 table) and aligned
// text columns (verify's streamed table, each command's usage). Pure text.

/**
 * A Markdown table cell: `|` would end the cell and a line break the row, so `|` becomes `\|` (after `\` becomes
 * `\\`, so a `\` the text already has cannot escape our delimiter) and line breaks become spaces.
 * `Rack A | shelf 2` -> `Rack A \| shelf 2`.
 */
export function escapeCell(text: string): string {
    return text
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|")
        .replace(/\r?\n|\r/g, " ");
}

/**
 * Each cell padded to its column's width; a cell past the widths given is left as it is (the last column of a
 * text table, so that no line ends in spaces). `["PASS", "Cilium"]`, `[6]` -> `["PASS  ", "Cilium"]`.
 */
export function alignCells(cells: readonly string[], widths: readonly number[]): string[] {
    return cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]) : cell));
}

/**
 * A Markdown table, cells escaped. Aligned, each column as wide as its widest cell; `compact` writes each cell as it
 * is (`|---|`), for a table whose cells are too long to align (the README's day-2 table).
 */
export function markdownTable(
    headers: readonly string[],
    rawRows: readonly (readonly string[])[],
    options: { compact?: boolean } = {},
): string {
    const rows = rawRows.map((r) => r.map(escapeCell));
    const widths = options.compact ? headers.map(() => 0) : headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: readonly string[]) => `| ${alignCells(cells, widths).join(" | ")} |`;
    const rule = options.compact ? `|${headers.map(() => "---").join("|")}|` : `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`;
    return [line(headers), rule, ...rows.map(line)].join("\n");
}
