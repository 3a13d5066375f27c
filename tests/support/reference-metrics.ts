import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { DEFAULT_NON_PRODUCT_CODES } from '../../src/config.js';

/** Per-customer frequency and monetary, computed straight from the CSV without the warehouse. */
export interface ReferenceMetrics {
  readonly rows: number;
  readonly duplicates: number;
  readonly customers: Map<string, { frequency: number; monetary: number }>;
}

function isNonProduct(code: string): boolean {
  const upper = code.toUpperCase();
  return DEFAULT_NON_PRODUCT_CODES.some((c) =>
    c.endsWith('*') ? upper.startsWith(c.slice(0, -1).toUpperCase()) : upper === c.toUpperCase(),
  );
}

/**
 * An independent reading of the README's customer definitions for the Online Retail layout with ISO
 * dates: exact duplicate lines once; product lines (product code, price > 0) of known customers up to
 * asOf; monetary nets them; a purchase invoice is a non-`C` invoice whose product lines net > 0.
 */
export async function referenceMetrics(path: string, asOf: string): Promise<ReferenceMetrics> {
  const seen = new Set<string>();
  const invoices = new Map<string, { customer: string; total: number; cancel: boolean }>();
  const monetary = new Map<string, number>();
  let rows = 0;
  let duplicates = 0;
  const parser = createReadStream(path).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    rows++;
    const key = record.join('\u0001');
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const [invoice, code, , quantity, date, price, rawCustomer] = record as [string, string, string, string, string, string, string];
    const customer = rawCustomer.replace(/\.0+$/, '');
    const unitPrice = Number(price);
    if (!customer || isNonProduct(code) || !(unitPrice > 0) || date.slice(0, 10) > asOf) continue;
    // Cents avoid floating-point drift over 400k additions.
    const cents = Math.round(Number(quantity) * unitPrice * 1000);
    monetary.set(customer, (monetary.get(customer) ?? 0) + cents);
    const inv = invoices.get(invoice) ?? { customer, total: 0, cancel: invoice.startsWith('C') };
    inv.total += cents;
    invoices.set(invoice, inv);
  }
  const customers = new Map<string, { frequency: number; monetary: number }>();
  for (const inv of invoices.values()) {
    if (inv.cancel || inv.total <= 0) continue;
    const c = customers.get(inv.customer) ?? { frequency: 0, monetary: (monetary.get(inv.customer) ?? 0) / 1000 };
    c.frequency++;
    customers.set(inv.customer, c);
  }
  return { rows, duplicates, customers };
}
