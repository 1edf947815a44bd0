/**
 * The shareable HTML report of one run or a comparison (the window's Export → Report and
 * `npm run report`): gathered from the store, rendered to one self-contained file.
 */
import type { Store } from '../store';
import { collectReport, type TestImages } from './report-data';
import { renderReportHtml } from './report-html';

/** The report of `ids` as HTML text. */
export async function buildReport(store: Store, ids: readonly number[], testImages: TestImages): Promise<string> {
  return renderReportHtml(await collectReport(store, ids, testImages));
}
