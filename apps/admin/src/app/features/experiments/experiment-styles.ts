/** Styles the experiment detail page's sections share (each section is its own component, with its own stylesheet). */

/** A definition list laid out as a two-column grid of terms and values (`<dl class="facts"><div><dt>…<dd>…`). */
export const FACTS_STYLES = `
  .facts {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 4px 16px;
    margin: 8px 0 16px;
  }
  .facts > div {
    display: contents;
  }
  .facts dt {
    font-weight: 600;
  }
  .facts dd {
    margin: 0;
  }
`;

/** A full-width table with ruled rows. */
export const TABLE_STYLES = `
  table {
    border-collapse: collapse;
    width: 100%;
    margin-bottom: 16px;
  }
  th,
  td {
    text-align: left;
    padding: 6px 10px;
    border-bottom: 1px solid var(--mat-sys-outline-variant);
    vertical-align: top;
  }
`;
