// Form parts shared by the pages: labelled inputs and selects that show their field's error
// (aria-invalid, aria-describedby), and the summary of all errors at the top of a form.
import type { FieldError } from '../../validation/field-errors.js';
import { html, type Html } from '../html.js';

export interface FieldOptions {
  name: string;
  label: string;
  value: string;
  errors: readonly FieldError[];
  type?: 'text' | 'search' | 'number' | 'date';
  /** Extra attributes for number inputs. */
  min?: number;
  max?: number;
  step?: string;
  wide?: boolean;
}

function errorOf(errors: readonly FieldError[], name: string): FieldError | undefined {
  return errors.find((error) => error.field === name || error.field.startsWith(`${name}[`));
}

function fieldError(id: string, error: FieldError | undefined): Html | string {
  return error === undefined ? '' : html`<p class="field-error" id="${id}-error">${error.message}</p>`;
}

export function inputField(options: FieldOptions): Html {
  const id = `f-${options.name}`;
  const error = errorOf(options.errors, options.name);
  const numeric = options.type === 'number' ? html` inputmode="decimal"${options.min === undefined ? '' : html` min="${options.min}"`}${options.max === undefined ? '' : html` max="${options.max}"`}${options.step === undefined ? '' : html` step="${options.step}"`}` : '';
  return html`<div${options.wide === true ? html` class="wide"` : ''}><label for="${id}">${options.label}</label><input id="${id}" name="${options.name}" type="${options.type ?? 'text'}" value="${options.value}" dir="auto"${numeric}${error === undefined ? '' : html` aria-invalid="true" aria-describedby="${id}-error"`}>${fieldError(id, error)}</div>`;
}

export interface SelectOptions {
  name: string;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [value: string, label: string]>;
  errors: readonly FieldError[];
}

export function selectField(options: SelectOptions): Html {
  const id = `f-${options.name}`;
  const error = errorOf(options.errors, options.name);
  return html`<div><label for="${id}">${options.label}</label><select id="${id}" name="${options.name}"${error === undefined ? '' : html` aria-invalid="true" aria-describedby="${id}-error"`}>${options.options.map(
    ([value, label]) => html`<option value="${value}"${value === options.value ? html` selected` : ''}>${label}</option>`,
  )}</select>${fieldError(id, error)}</div>`;
}

/** The list of every problem, linked to its field; nothing when there is none. */
export function errorSummary(errors: readonly FieldError[]): Html | string {
  if (errors.length === 0) return '';
  return html`<div class="errors" role="alert"><h2>Please correct ${errors.length === 1 ? 'this field' : 'these fields'}</h2><ul>${errors.map(
    (error) => html`<li>${error.field === '' ? '' : html`<a href="#f-${error.field.replace(/\[.*$/, '')}">${error.field}</a> `}${error.message}</li>`,
  )}</ul></div>`;
}
