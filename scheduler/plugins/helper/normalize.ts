/** Score normalisation shared by score plugins (pkg/scheduler/framework/plugins/helper). */
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/interfaces';

/**
 * helper.DefaultNormalizeScore: scales scores to 0..maxPriority by the highest score (integer
 * division, as Go); with `reverse` a high raw score becomes a low final one. When every score is
 * 0 they stay 0, or all become maxPriority with `reverse`.
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / max);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}
