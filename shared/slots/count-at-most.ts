/** Above this many values in one grid cell a lookup switches from scanning to bisecting. */
const MAX_SCAN = 8

/**
 * `countAtMost(x)`: how many of the ascending `sorted` values are <= x.
 *
 * Answers in O(1) for spread-out values: a grid of `sorted.length` equal cells over the
 * values' range remembers where each cell begins, and a lookup scans its one cell. Plain
 * bisection mispredicts a branch per step, and `subtractBusy` asks once per busy interval.
 * Exact despite float cells: the cell of a number is monotonic in it, so every value in an
 * earlier cell is below x and every value in a later one above it.
 */
export function createCountAtMost(sorted: Float64Array): (x: number) => number {
  const n = sorted.length
  if (n === 0) return () => 0
  const first = sorted[0] as number
  const last = sorted[n - 1] as number
  const width = (last - first) / n
  if (!(width > 0)) return (x) => bisect(sorted, x, 0, n)
  const cellOf = (x: number) => Math.floor((x - first) / width)

  // cellBegins[c]: index of the first value whose cell is c or later.
  const cellBegins = new Int32Array(n + 2)
  let filled = 0
  for (let i = 0; i < n; i++) {
    const cell = cellOf(sorted[i] as number)
    while (filled <= cell) cellBegins[filled++] = i
  }
  while (filled < n + 2) cellBegins[filled++] = n

  return (x) => {
    if (x < first) return 0
    if (x >= last) return n
    const cell = cellOf(x)
    let i = cellBegins[cell] as number
    const end = cellBegins[cell + 1] as number
    if (end - i > MAX_SCAN) return bisect(sorted, x, i, end)
    while (i < end && (sorted[i] as number) <= x) i++
    return i
  }
}

/** The first index in [low, high) whose value is above x (or high). */
function bisect(sorted: Float64Array, x: number, low: number, high: number): number {
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((sorted[mid] as number) <= x) low = mid + 1
    else high = mid
  }
  return low
}
