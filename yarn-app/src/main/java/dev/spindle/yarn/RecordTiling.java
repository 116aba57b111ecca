package dev.spindle.yarn;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.TilingCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AM's use of {@link TilingCheck}: groups every block's range results by file and asks which
 * blocks must re-run. A block that owns nothing is re-run from the offset where its
 * predecessor's last record ends, so it reads nothing and its output is an empty one.
 */
final class RecordTiling implements BlockScheduler.TilingVerifier {

    private record RangeRef(int block, int range, BlockRange planned) {}

    @Override
    public Map<Integer, Map<Integer, Long>> reruns(List<Block> blocks, List<BlockResult> results) {
        Map<String, List<RangeRef>> byFile = new LinkedHashMap<>();
        for (Block block : blocks) {
            for (int i = 0; i < block.ranges().size(); i++) {
                BlockRange range = block.ranges().get(i);
                byFile.computeIfAbsent(range.location(), location -> new ArrayList<>()).add(new RangeRef(block.index(), i, range));
            }
        }
        Map<Integer, Map<Integer, Long>> reruns = new HashMap<>();
        for (Map.Entry<String, List<RangeRef>> file : byFile.entrySet()) {
            List<RangeRef> refs = file.getValue();
            refs.sort((a, b) -> Long.compare(a.planned().start(), b.planned().start()));
            List<TilingCheck.RangeResult> ranges = new ArrayList<>(refs.size());
            for (RangeRef ref : refs) {
                BlockOutcome.RangeOutcome outcome = results.get(ref.block()).outcome().ranges().get(ref.range());
                ranges.add(new TilingCheck.RangeResult(ref.planned().start(), ref.planned().end(),
                        outcome.firstRecordOffset(), outcome.stopOffset()));
            }
            List<BlockRange> planned = new ArrayList<>(refs.size());
            for (RangeRef ref : refs) {
                planned.add(ref.planned());
            }
            TilingCheck.Verdict verdict = TilingCheck.check(planned, ranges);
            for (TilingCheck.Decision decision : verdict.decisions()) {
                if (decision.outcome() == TilingCheck.Outcome.RERUN || decision.outcome() == TilingCheck.Outcome.OWNS_NOTHING) {
                    BlockOutcome.RangeOutcome outcome = results.get(refs.get(decision.index()).block()).outcome()
                            .ranges().get(refs.get(decision.index()).range());
                    if (decision.outcome() == TilingCheck.Outcome.OWNS_NOTHING
                            && outcome.firstRecordOffset() == decision.offset() && outcome.stopOffset() == decision.offset()) {
                        continue;
                    }
                    RangeRef ref = refs.get(decision.index());
                    reruns.computeIfAbsent(ref.block(), block -> new HashMap<>()).put(ref.range(), decision.offset());
                }
            }
        }
        return reruns;
    }
}
