// Pure: "did you mean" for a misspelt key, flag or namespace. A candidate is close when few edits turn one into
// the other (optimal string alignment: insert, delete, substitute, swap two neighbours), letter case ignored, or
// when the word is the candidate without its unit: `memoryMB` -> `memoryMiB` (1 edit), `nodez` -> `nodes`,
// `memory` -> `memoryMiB`, `homlab` -> `homelab`; `cores` is nothing like `vmId`.

/** Edits between `a` and `b` (optimal string alignment distance), letter case ignored. */
export function editDistance(a: string, b: string): number {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    // d[i][j]: edits between the first i letters of x and the first j of y.
    const d = Array.from({ length: x.length + 1 }, (_, i) =>
        Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= x.length; i++) {
        for (let j = 1; j <= y.length; j++) {
            const substitute = x[i - 1] === y[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitute);
            if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[x.length][y.length];
}

/** How many edits still count as a slip of the keyboard: a quarter of the longer word, at least one. */
function allowedEdits(a: string, b: string): number {
    return Math.max(1, Math.floor(Math.max(a.length, b.length) / 4));
}

/** The candidate `word` most likely meant, or undefined when none is close; ties go to the earlier candidate. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    let best: { candidate: string; edits: number } | undefined;
    for (const candidate of candidates) {
        if (candidate === word) continue;
        // `memory` for `memoryMiB`, `disk` for `diskGiB`: the key without its unit.
        const prefix = word.length >= 3 && candidate.toLowerCase().startsWith(word.toLowerCase());
        const edits = prefix ? 0.5 : editDistance(word, candidate);
        if (edits <= allowedEdits(word, candidate) && (!best || edits < best.edits)) best = { candidate, edits };
    }
    return best?.candidate;
}
