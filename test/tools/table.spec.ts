import { strict as assert } from "assert";
import { alignCells, escapeCell, markdownTable } from "../../tools/table";

/** The cells of a Markdown table row, split only at unescaped pipes. */
const cells = (row: string) =>
    row
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());

describe("the table renderer", () => {
    it("escapes |, backslashes before it, and line breaks in a Markdown cell", () => {
        assert.equal(escapeCell("Rack A | shelf 2"), "Rack A \\| shelf 2");
        assert.equal(escapeCell("ends in \\"), "ends in \\\\");
        assert.equal(escapeCell("a\\|b"), "a\\\\\\|b");
        assert.equal(escapeCell("two\r\nlines\nhere"), "two lines here");
        assert.equal(escapeCell("plain"), "plain");
    });

    it("keeps every Markdown row at the header's number of columns", () => {
        const text = markdownTable(
            ["a", "b"],
            [
                ["x | y", "z"],
                ["1\n2", "3|4"],
            ],
        );
        for (const row of text.split("\n")) assert.equal(cells(row).length, 2, row);
    });

    it("aligns a Markdown table to its widest cells, or writes it compact", () => {
        assert.equal(
            markdownTable(
                ["IP", "Service"],
                [
                    ["172.16.1.1", "router"],
                    ["172.16.1.60", "k8s_gateway"],
                ],
            ),
            [
                "| IP          | Service     |",
                "|-------------|-------------|",
                "| 172.16.1.1  | router      |",
                "| 172.16.1.60 | k8s_gateway |",
            ].join("\n"),
        );
        assert.equal(
            markdownTable(["change", "replaced"], [["a bump", "`x`, `y`"]], { compact: true }),
            ["| change | replaced |", "|---|---|", "| a bump | `x`, `y` |"].join("\n"),
        );
        assert.equal(markdownTable(["only"], []), ["| only |", "|------|"].join("\n"), "no rows: the header alone");
    });

    it("pads text columns to their widths and leaves the last one ragged", () => {
        assert.deepEqual(alignCells(["PASS", "Cilium", "detail"], [6, 8]), ["PASS  ", "Cilium  ", "detail"]);
        assert.deepEqual(
            alignCells(["a-cell-longer-than-its-width", "b"], [4]),
            ["a-cell-longer-than-its-width", "b"],
            "a long cell is never cut",
        );
    });
});
