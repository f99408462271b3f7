import path from 'node:path';
import express from 'express';
import fc from 'fast-check';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { navigationFor } from '../domain/access/roles.js';

/** Every function on the parts of Nunjucks' runtime that a page's rendering goes through, by name. */
function nunjucksFunctions() {
  const parts = {
    lib: nunjucks.lib,
    runtime: nunjucks.runtime,
    Frame: (nunjucks.runtime as unknown as { Frame: { prototype: object } }).Frame.prototype,
    Template: nunjucks.Template.prototype,
    Environment: nunjucks.Environment.prototype,
    FileSystemLoader: nunjucks.FileSystemLoader.prototype,
  };
  const found = new Map<string, unknown>();
  for (const [part, object] of Object.entries(parts)) {
    for (const name of Object.getOwnPropertyNames(object)) {
      const value = (object as Record<string, unknown>)[name];
      if (typeof value === 'function') found.set(`${part}.${name}`, value);
    }
  }
  return found;
}

// Taken before the service's Nunjucks set-up is loaded, so that a change made when it loads is seen too.
const asShipped = nunjucksFunctions();
const { configureNunjucks, GOVUK_FRONTEND_ROOT } = await import('./nunjucks.js');

describe('Nunjucks as shipped', () => {
  it('is configured through its public API alone: nothing in its runtime is replaced', () => {
    const env = configureNunjucks(express());
    const now = nunjucksFunctions();
    const replaced = [...asShipped].filter(([name, fn]) => now.get(name) !== fn).map(([name]) => name);
    expect(replaced).toEqual([]);
    // Nor is any method of the loaders it was given (they read views, the GOV.UK and MoJ components).
    const { loaders } = env as unknown as { loaders: object[] };
    expect(loaders.length).toBeGreaterThan(0);
    for (const loader of loaders)
      expect(Object.keys(loader).filter((k) => typeof loader[k as never] === 'function')).toEqual([]);
  });

  it("escapes every value a page prints, with Nunjucks' own escaper, in views and in GOV.UK components", () => {
    const env = configureNunjucks(express());
    const child = `Zoë O'Brien & <script>alert("x")</script> \\`;
    expect(env.renderString('{{ a }}|{{ b }}', { a: child, b: 'Plain text' })).toBe(
      'Zoë O&#39;Brien &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#92;|Plain text',
    );
    const tag = env.renderString(
      '{% from "govuk/components/tag/macro.njk" import govukTag %}{{ govukTag({ text: name, classes: "govuk-tag--grey" }) }}',
      { name: child },
    );
    expect(tag).toContain('Zoë O&#39;Brien &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#92;');
    expect(tag).not.toContain('<script>');
  });
});

describe('the header every page shows', () => {
  const env = configureNunjucks(express());
  const header = (context: object) => {
    const html = env.renderString('{% extends "layout.njk" %}{% block main_content %}{% endblock %}', context);
    return html.slice(html.indexOf('<header'), html.indexOf('</header>') + 9);
  };
  const manager = navigationFor(['manager']);

  it('names the council, links the service, marks the page open in the navigation and offers sign-out', () => {
    const html = header({
      currentUser: { laName: 'Demo County', displayName: 'Sam O’Neil & <Co>' },
      navigation: manager.map((item) => ({ ...item, active: item.href === '/cases' })),
      csrfToken: () => 'a+b/c=&"',
      demoMode: true,
    });
    // The GOV.UK generic header, service navigation and phase banner components.
    expect(html).toMatch(/<a href="\/" class="govuk-generic-header__homepage-link">\s*Demo County\s*<\/a>/);
    expect(html).toMatch(
      /class="govuk-service-navigation__service-name">\s*<a href="\/" class="govuk-service-navigation__link">\s*EHC casework/,
    );
    for (const item of manager) expect(html).toContain(`href="${item.href}"`);
    expect(manager.length).toBeGreaterThan(2);
    // One page is open: the caseload, marked for screen readers and, without CSS, in bold.
    expect(html.match(/aria-current="true"/g)).toHaveLength(1);
    expect(html).toMatch(
      /href="\/cases" aria-current="true">\s*<strong class="govuk-service-navigation__active-fallback">Caseload<\/strong>/,
    );
    // Signing out posts the form's CSRF token; the person's name and the token are escaped.
    expect(html).toMatch(/<form method="post" action="\/sign-out" class="app-sign-out">/);
    expect(html).toContain('<input type="hidden" name="_csrf" value="a+b/c=&amp;&quot;">');
    expect(html).toContain('Sam O’Neil &amp; &lt;Co&gt;');
    expect(html).toMatch(
      /<button type="submit" class="govuk-button govuk-button--secondary app-sign-out__button" data-module="govuk-button">\s*Sign out\s*<\/button>/,
    );
    expect(html).toMatch(
      /govuk-phase-banner__text">\s*This is a new service. The council and everyone in it are fictional demo data./,
    );
  });

  it('before sign-in: the service name, no navigation and no sign-out', () => {
    const html = header({});
    expect(html).toMatch(/govuk-generic-header__homepage-link">\s*OpenEHCP\s*<\/a>/);
    expect(html).not.toContain('govuk-service-navigation__list');
    expect(html).not.toContain('sign-out');
    expect(html).toMatch(/govuk-phase-banner__text">\s*This is a new service.\s*<\/span>/);
  });
});

describe('the dateTime filter', () => {
  it('writes a time in the 12-hour clock, in England, from 12 not 0', () => {
    const env = configureNunjucks(express());
    const at = (iso: string) => env.renderString('{{ t | dateTime }}', { t: new Date(iso) });
    // 00:36 UTC on 7 December is 00:36 in London (GMT); 23:15 UTC on 1 July is 00:15 on 2 July (BST).
    expect(at('2026-12-07T00:36:00Z')).toBe('7 December 2026, 12:36 am');
    expect(at('2026-07-01T23:15:00Z')).toBe('2 July 2026, 12:15 am');
    expect(at('2025-04-01T09:15:00Z')).toBe('1 April 2025, 10:15 am');
  });
});

describe('the trim filter', () => {
  // Nunjucks' own, from a fresh environment the service has not configured.
  const stock = new nunjucks.Environment();
  const env = configureNunjucks(express());
  const trimmed = (e: nunjucks.Environment, value: unknown) => e.renderString('[{{ v | trim }}]', { v: value });
  const whitespace = ' \t\n\r\v\f\u00a0\u1680\u2000\u2028\u2029\u202f\u205f\u3000\ufeff';

  it("gives what Nunjucks' own gives for any text, whitespace of every kind included", () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...whitespace),
        fc.constantFrom('a', '<', '&', 'é', '"'),
        fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      ),
      maxLength: 60,
    });
    fc.assert(fc.property(text, (value) => trimmed(env, value) === trimmed(stock, value)));
    fc.assert(
      fc.property(text, (value) => {
        const safe = { v: new nunjucks.runtime.SafeString(value) };
        return (
          env.renderString('[{{ v | trim }}]', safe) === stock.renderString('[{{ v | trim }}]', safe) &&
          env.renderString('[{{ v | trim | escape }}]', safe) === stock.renderString('[{{ v | trim | escape }}]', safe)
        );
      }),
    );
  });

  it('keeps HTML made safe as safe, and escapes plain text, as GOV.UK components rely on', () => {
    expect(env.renderString('{{ v | safe | trim }}', { v: '  <b>x</b>\n ' })).toBe('<b>x</b>');
    expect(env.renderString('{{ v | trim }}', { v: '  <b>x</b>\n ' })).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('trims what a GOV.UK component trims: a form field with long runs of whitespace comes out the same', () => {
    const field =
      '{% from "govuk/components/input/macro.njk" import govukInput %}' +
      '{{ govukInput({ id: "n", name: "n", label: { text: "Name" }, hint: { text: "As on the birth certificate" }, errorMessage: { text: "Enter a name" }, value: "Zoë" }) }}';
    const fromStock = new nunjucks.Environment(
      new nunjucks.FileSystemLoader(path.join(GOVUK_FRONTEND_ROOT, 'dist')),
    ).renderString(field, {});
    expect(fromStock).toMatch(/ {40,}|(\n\s*){20,}/);
    expect(env.renderString(field, {})).toBe(fromStock);
  });
});
