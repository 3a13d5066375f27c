/** Raw column names, in the order of `raw.order_lines`. */
export const RAW_COLUMNS = [
  'invoice_no', 'stock_code', 'description', 'quantity', 'invoice_date', 'unit_price', 'customer_id', 'country',
] as const;
export type RawColumn = (typeof RAW_COLUMNS)[number];

// Header names of both UCI layouts (Online Retail and Online Retail II), compared without case, spaces or `_`.
const ALIASES: Record<string, RawColumn> = {
  invoiceno: 'invoice_no',
  invoice: 'invoice_no',
  stockcode: 'stock_code',
  description: 'description',
  quantity: 'quantity',
  invoicedate: 'invoice_date',
  unitprice: 'unit_price',
  price: 'unit_price',
  customerid: 'customer_id',
  country: 'country',
};

/** How a file's columns map onto the raw table. */
export interface HeaderMapping {
  /** Raw column for each field of the file, in file order. */
  readonly columns: readonly RawColumn[];
  readonly layout: 'online-retail' | 'online-retail-ii';
}

/** A header that cannot be loaded; the message names the columns. */
export class HeaderError extends Error {
  override name = 'HeaderError';
}

function splitHeader(line: string): string[] {
  // Headers are plain names; quotes around a name are allowed and dropped.
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1').trim());
}

/** Maps a header line (BOM and CR already removed) onto the raw columns, or throws naming what is missing. */
export function mapHeader(line: string): HeaderMapping {
  const names = splitHeader(line);
  const columns: RawColumn[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const column = ALIASES[name.toLowerCase().replace(/[\s_]/g, '')];
    if (column && !columns.includes(column)) columns.push(column);
    else unknown.push(name === '' ? '(empty)' : name);
  }
  const missing = RAW_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      missing.length > 0 ? `missing required columns: ${missing.join(', ')}` : '',
      unknown.length > 0 ? `unexpected or repeated columns: ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    throw new HeaderError(`header ${JSON.stringify(line.slice(0, 200))}: ${parts.join('; ')}`);
  }
  const layout = names.some((n) => /^invoice$/i.test(n) || /^price$/i.test(n)) ? 'online-retail-ii' : 'online-retail';
  return { columns, layout };
}
