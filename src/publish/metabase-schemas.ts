import { z } from 'zod';

/**
 * The Metabase API as this project uses it, pinned to one release: the request shapes below and
 * the response checks are those of this version (docker-compose.yml and Terraform run the same tag).
 */
export const METABASE_VERSION = 'v0.56.9';

const id = z.number().int().positive();

/** `POST /api/session`. */
export const sessionResponse = z.object({ id: z.string().min(1) });

/** One database as `GET /api/database` lists it (details come back with secrets redacted). */
export const database = z.object({
  id,
  name: z.string(),
  engine: z.string(),
  details: z.record(z.string(), z.unknown()).nullish(),
});
export type Database = z.infer<typeof database>;
export const databaseList = z.object({ data: z.array(database), total: z.number().int() });

/** `POST /api/database/:id/sync_schema` answers at once; the sync itself runs in the background. */
export const syncResponse = z.object({ status: z.literal('ok') });

/** A collection; the root one ("Our analytics") has the id "root". */
export const collection = z.object({
  id: z.union([id, z.string()]),
  name: z.string(),
  archived: z.boolean().optional(),
  location: z.string().nullish(),
  personal_owner_id: z.number().int().nullish(),
});
export type Collection = z.infer<typeof collection>;
export const collectionList = z.array(collection);

/** `GET /api/collection/:id/items`. */
export const collectionItems = z.object({
  data: z.array(z.object({ id, model: z.string(), name: z.string(), description: z.string().nullish() })),
  total: z.number().int(),
});

/** A saved question. */
export const card = z.object({
  id,
  name: z.string(),
  description: z.string().nullish(),
  collection_id: z.number().int().nullish(),
  archived: z.boolean(),
  display: z.string(),
});
export type Card = z.infer<typeof card>;
export const cardList = z.array(card);

/** Where a dashboard filter goes on a card: a native-query variable. */
export type VariableTarget = ['variable', ['template-tag', string]];
const variableTarget = z.tuple([z.literal('variable'), z.tuple([z.literal('template-tag'), z.string().min(1)])]);

/** One dashboard filter → card variable wiring. */
export const parameterMapping = z.object({ parameter_id: z.string().min(1), card_id: id.optional(), target: variableTarget });
export type ParameterMapping = z.infer<typeof parameterMapping>;

/** A dashboard filter. */
export const dashboardParameter = z.object({
  id: z.string().min(1),
  name: z.string(),
  slug: z.string(),
  type: z.string(),
  sectionId: z.string().optional(),
});
export type DashboardParameter = z.infer<typeof dashboardParameter>;

/** A card placed on a dashboard. */
export const dashcard = z.object({
  id,
  card_id: id.nullable(),
  row: z.number().int(),
  col: z.number().int(),
  size_x: z.number().int(),
  size_y: z.number().int(),
  parameter_mappings: z.array(parameterMapping),
});
export type Dashcard = z.infer<typeof dashcard>;

/** A dashboard (`dashcards` only in the answers of `GET` and `PUT /api/dashboard/:id`). */
export const dashboard = z.object({
  id,
  name: z.string(),
  description: z.string().nullish(),
  collection_id: z.number().int().nullish(),
  parameters: z.array(dashboardParameter),
  dashcards: z.array(dashcard).optional(),
});
export type Dashboard = z.infer<typeof dashboard>;

/** Body of `POST /api/database`. */
export interface DatabaseBody {
  readonly name: string;
  readonly engine: 'postgres';
  readonly details: {
    readonly host: string;
    readonly port: number;
    readonly dbname: string;
    readonly user: string;
    readonly password: string;
    readonly ssl: boolean;
    readonly 'schema-filters-type': 'inclusion';
    readonly 'schema-filters-patterns': string;
  };
  readonly is_full_sync: boolean;
}

/** A native-query variable of a card. */
export interface TemplateTag {
  readonly id: string;
  readonly name: string;
  readonly 'display-name': string;
  readonly type: 'date' | 'text';
  readonly required: boolean;
}

/** A card's own filter, backing one of its variables. */
export interface CardParameter {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly type: string;
  readonly target: VariableTarget;
}

/** Body of `POST /api/card` and `PUT /api/card/:id`. */
export interface CardBody {
  readonly name: string;
  readonly type: 'question';
  readonly description: string;
  readonly display: string;
  readonly collection_id: number;
  readonly dataset_query: {
    readonly database: number;
    readonly type: 'native';
    readonly native: { readonly query: string; readonly 'template-tags': Readonly<Record<string, TemplateTag>> };
  };
  readonly parameters: readonly CardParameter[];
  readonly visualization_settings: Readonly<Record<string, unknown>>;
}

/** Body of `POST /api/dashboard`. */
export interface DashboardCreateBody {
  readonly name: string;
  readonly description: string;
  readonly collection_id: number;
  readonly parameters: readonly DashboardParameter[];
}

/** One dashcard in `PUT /api/dashboard/:id`; a negative id asks Metabase to create it. */
export interface DashcardBody {
  readonly id: number;
  readonly card_id: number;
  readonly row: number;
  readonly col: number;
  readonly size_x: number;
  readonly size_y: number;
  readonly parameter_mappings: readonly ParameterMapping[];
  readonly visualization_settings: Readonly<Record<string, unknown>>;
}

/** Body of `PUT /api/dashboard/:id`: the dashcards listed replace those on the dashboard. */
export interface DashboardUpdateBody extends DashboardCreateBody {
  readonly dashcards: readonly DashcardBody[];
}
