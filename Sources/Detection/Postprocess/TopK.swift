/// The indices of the `k` largest values greater than `threshold`, largest first; equal values
/// rank by lower index first (torch.topk leaves tie order unspecified; a total order keeps runs
/// reproducible). NaNs never rank. O(n log k) with a size-k heap: the dense heads call it on up
/// to 10⁵ priors (or 10⁷ prior-class pairs) a level.
func topKIndices(_ values: [Float], k: Int, above threshold: Float = -.infinity) -> [Int] {
    guard k > 0 else { return [] }
    // `a` ranks below `b`: smaller value, or equal value and larger index.
    @inline(__always) func below(_ a: Int, _ b: Int) -> Bool {
        values[a] < values[b] || (values[a] == values[b] && a > b)
    }
    // Min-heap (by rank) of the best k seen so far; its root is the weakest of them.
    var heap: [Int] = []
    heap.reserveCapacity(Swift.min(k, values.count))
    func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < heap.count && below(heap[l], heap[m]) { m = l }
            if r < heap.count && below(heap[r], heap[m]) { m = r }
            if m == i { return }
            heap.swapAt(i, m); i = m
        }
    }
    for i in values.indices where values[i] > threshold {
        if heap.count < k {
            heap.append(i)
            var c = heap.count - 1
            while c > 0 {
                let p = (c - 1) / 2
                guard below(heap[c], heap[p]) else { break }
                heap.swapAt(c, p); c = p
            }
        } else if below(heap[0], i) {
            heap[0] = i
            siftDown(0)
        }
    }
    return heap.sorted { below($1, $0) }
}
