import type { Job } from '../src/runtime/job-runner.js';
import { runTransforms, setNonProductCodes, type TransformStep } from '../src/transform/run-transforms.js';

/** Summary of a transform run. */
export interface TransformSummary {
  readonly stagingRows: number;
  readonly productLines: number;
  readonly steps: readonly TransformStep[];
}

/** Rebuilds staging and the sales marts from raw in one transaction (readers see old or new, never half). */
export const transform: Job<TransformSummary> = {
  name: 'transform',
  async run(ctx) {
    return ctx.session.transaction(async () => {
      await ctx.step('non-product codes');
      await setNonProductCodes(ctx.session, ctx.config.nonProductCodes);
      const steps = await runTransforms(ctx.session, (file) => ctx.step(file));
      const [counts] = await ctx.session.query<{ staging: number; product: number }>(
        'SELECT count(*) AS staging, count(*) FILTER (WHERE is_product_line) AS product FROM staging.order_lines',
      );
      return { stagingRows: counts!.staging, productLines: counts!.product, steps };
    });
  },
};
