import { DASHBOARDS } from '../infra/metabase/dashboards.js';
import type { MetabaseSettings } from '../src/config.js';
import { MetabaseClient, type MetabaseAuth } from '../src/publish/metabase-client.js';
import { publishDashboards, readerConnection, type PublishSummary } from '../src/publish/publish-dashboards.js';
import type { Job } from '../src/runtime/job-runner.js';

/** Summary of a publish run: what it did, or why Metabase was left alone. */
export type PublishJobSummary =
  | ({ readonly status: 'published' } & PublishSummary)
  | { readonly status: 'not-configured'; readonly reason: string };

function auth(settings: MetabaseSettings): MetabaseAuth {
  if (settings.apiKey) return { apiKey: settings.apiKey };
  if (settings.user && settings.password) return { username: settings.user, password: settings.password };
  throw new Error('METABASE_URL is set but no credentials: set METABASE_API_KEY, or METABASE_USER and METABASE_PASSWORD');
}

/**
 * Publishes the dashboards of infra/metabase to Metabase and resyncs the warehouse schema. Without
 * METABASE_URL it does nothing (the embedded demo has no Metabase), so the nightly chain can always include it.
 */
export const publish: Job<PublishJobSummary> = {
  name: 'publish',
  async run(ctx) {
    const settings = ctx.config.metabase;
    if (!settings?.url) {
      ctx.log.info('publish.skipped', { reason: 'METABASE_URL is not set' });
      return { status: 'not-configured', reason: 'METABASE_URL is not set' };
    }
    if (!ctx.config.databaseUrl) {
      throw new Error('publishing to Metabase needs DATABASE_URL: Metabase reads the warehouse over the network, not the embedded database');
    }
    await ctx.step('metabase');
    const client = new MetabaseClient({ url: settings.url, auth: auth(settings) });
    const summary = await publishDashboards(client, {
      dashboards: DASHBOARDS,
      collection: settings.collection,
      reader: readerConnection(ctx.config.databaseUrl, settings.readerPassword),
    });
    ctx.log.info('publish.done', {
      collection_id: summary.collectionId,
      cards_created: summary.created.cards,
      cards_updated: summary.updated.cards,
      dashboards_created: summary.created.dashboards,
      dashboards_updated: summary.updated.dashboards,
    });
    return { status: 'published', ...summary };
  },
};
