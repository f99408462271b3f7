import { createRequire } from 'node:module';
import express from 'express';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import {
  configureNunjucks,
  nunjucksEscape,
  nunjucksFrameSet,
  quickerEscape,
  quickerFrameSet,
  quickerTrim,
  rememberImports,
} from './nunjucks.js';
import { paginationItems } from './pagination.js';
import { navigationFor } from '../domain/access/roles.js';

interface TestFrame {
  variables: Record<string, unknown>;
  set(name: string, val: unknown, resolveUp?: boolean): void;
  push(isolateWrites?: boolean): TestFrame;
  resolve(name: string, forWrite: boolean): TestFrame | undefined;
}
const { Frame } = (nunjucks as unknown as { runtime: { Frame: new () => TestFrame } }).runtime;

/** A root frame, a loop's frame under it and a macro's frame that isolates its writes, as templates make them. */
function frames() {
  const root = new Frame();
  root.set('x', 'root x');
  root.set('loop', 0);
  const loop = root.push();
  const macro = loop.push(true);
  return { root, loop, macro };
}

function snapshot(f: ReturnType<typeof frames>) {
  return JSON.stringify([f.root.variables, f.loop.variables, f.macro.variables]);
}

describe('template variables (Frame.set without the split)', () => {
  // Every kind of write a compiled template makes: a `for` pass's loop variables, `set` with resolveUp (found in a
  // parent, not found, and stopped by a macro's isolated frame), plain names, and a dotted name other than loop's.
  const writes: [keyof ReturnType<typeof frames>, string, unknown, boolean?][] = [
    ['loop', 'item', { id: 1 }],
    ['loop', 'loop.index', 1],
    ['loop', 'loop.first', true],
    ['loop', 'loop.length', 3],
    ['loop', 'loop.index', 2],
    ['loop', 'x', 'set in loop', true],
    ['loop', 'y', 'new in loop', true],
    ['macro', 'x', 'set in macro', true],
    ['macro', 'loop.last', false],
    ['root', 'loop.index0', 4],
    ['root', 'a.b.c', 'deep'],
    ['loop', 'a.b.d', 'deeper', true],
    ['root', 'caller', undefined],
  ];

  it('leaves every frame exactly as Nunjucks itself would', () => {
    quickerFrameSet();
    const quick = frames();
    const reference = frames();
    for (const [which, name, val, resolveUp] of writes) {
      quick[which].set(name, val, resolveUp);
      nunjucksFrameSet.call(reference[which], name, val, resolveUp);
      expect(snapshot(quick), `after ${which}.set(${name})`).toBe(snapshot(reference));
    }
    // A falsy `loop` (set to 0 above) is replaced by an object, as Nunjucks does.
    expect(quick.root.variables.loop).toEqual({ index0: 4 });
  });

  it('renders loops, macros and set as before', () => {
    const env = configureNunjucks(express());
    const html = env.renderString(
      [
        '{% macro row(item, n) %}{% set label = item.name | upper %}<{{ n }}:{{ label }}>{{ caller() if caller }}{% endmacro %}',
        '{% set total = 0 %}',
        '{% for item in items %}',
        '{{ loop.index }}/{{ loop.length }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}',
        '[{% for c in item.tags %}{{ loop.revindex0 }}{{ c }}{% endfor %}]',
        '{% call row(item, loop.index0) %}*{% endcall %}',
        '{% set total = total + item.n %}',
        '{% endfor %}',
        '={{ total }} {{ label or "label stays in the macro" }}',
      ].join(''),
      {
        items: [
          { name: 'ann', n: 2, tags: ['a', 'b'] },
          { name: 'bo', n: 3, tags: [] },
          { name: 'cy', n: 5, tags: ['c'] },
        ],
      },
    );
    // Unlike Jinja, Nunjucks lets a `set` inside a `for` change the variable outside it (2 + 3 + 5); a macro's `set`
    // stays inside the macro.
    expect(html).toBe('1/3F[1a0b]<0:ANN>*2/3[]<1:BO>*3/3L[0c]<2:CY>*=10 label stays in the macro');
  });
});

describe('escaping printed values', () => {
  it('escapes exactly as Nunjucks does, whether or not there is anything to escape', () => {
    quickerEscape();
    const { lib } = nunjucks as unknown as { lib: { escape: (value: string) => string } };
    expect(lib.escape).not.toBe(nunjucksEscape);
    for (const text of [
      'Williams, Poppy',
      'EHC-2026-15049',
      '',
      '&',
      '"',
      "'",
      '<',
      '>',
      '\\',
      `O'Brien & <b>"Jo"</b> \\`,
    ]) {
      expect(lib.escape(text), text).toBe(nunjucksEscape(text));
    }
    const env = configureNunjucks(express());
    expect(env.renderString('{{ a }}|{{ b }}', { a: `<script>alert("x")</script>`, b: 'Plain text' })).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|Plain text',
    );
  });
});

describe('trimming', () => {
  const require = createRequire(import.meta.url);
  const nunjucksTrim = (require('nunjucks/src/filters') as { trim: (value: unknown) => unknown }).trim;
  const { SafeString } = (nunjucks as unknown as { runtime: { SafeString: new (value: string) => object } }).runtime;

  it('removes exactly what Nunjucks does, and keeps text marked safe marked safe', () => {
    const texts = [
      '',
      'plain',
      '   ',
      '\n    <dd class="govuk-summary-list__value">\n      Value  </dd>\n   \n',
      '\t\r\n\v\f x \t',
      // No-break space, byte order mark, line and paragraph separators, ideographic space: white space to both.
      '\u00a0\ufeff\u2028\u2029\u3000 both \u3000\u00a0',
      // Not white space: zero-width space and the Mongolian vowel separator.
      '\u200b kept \u180e',
      'inner   spaces\n\nkept',
    ];
    for (const text of texts) {
      expect(quickerTrim(text), JSON.stringify(text)).toBe(nunjucksTrim(text));
      const safe = quickerTrim(new SafeString(text) as unknown as string);
      expect(safe).toBeInstanceOf(SafeString);
      expect(String(safe)).toBe(String(nunjucksTrim(new SafeString(text))));
    }
  });

  it('is the trim the templates use', () => {
    const env = configureNunjucks(express());
    expect(env.getFilter('trim')).toBe(quickerTrim);
    expect(env.renderString('[{{ a | trim }}][{{ a | safe | trim }}]', { a: '  <b>x</b>\n ' })).toBe(
      '[&lt;b&gt;x&lt;/b&gt;][<b>x</b>]',
    );
  });
});

describe('imported macros', () => {
  /** An environment reading templates from memory, with a global that counts how often each file's top level runs. */
  function memoryEnvironment(sources: Record<string, string>) {
    const runs: Record<string, number> = {};
    const loader = {
      getSource: (name: string) => (name in sources ? { src: sources[name]!, path: name, noCache: false } : null),
    };
    const env = new nunjucks.Environment(loader as unknown as nunjucks.ILoader, { autoescape: true });
    env.addGlobal('ran', (file: string) => {
      runs[file] = (runs[file] ?? 0) + 1;
      return runs[file];
    });
    rememberImports();
    return { env, runs };
  }

  it('runs a file imported without context once, whichever pages import it and however often', () => {
    const { env, runs } = memoryEnvironment({
      'lib.njk': '{% set n = ran("lib") %}{% macro hello(name) %}Hello {{ name }}{{ suffix }}{% endmacro %}',
      'a.njk': '{% from "lib.njk" import hello %}{{ hello(who) }}',
      'b.njk': '{% import "lib.njk" as lib %}{{ lib.hello(who) }}!',
    });
    // A macro imported without context does not see the page's variables (suffix), as in Nunjucks itself.
    expect(env.render('a.njk', { who: 'Ann', suffix: '?' })).toBe('Hello Ann');
    expect(env.render('a.njk', { who: '<Bo>' })).toBe('Hello &lt;Bo&gt;');
    expect(env.render('b.njk', { who: 'Cy' })).toBe('Hello Cy!');
    expect(runs.lib).toBe(1);
  });

  it('runs a file imported with context on every render, so that it sees each page', () => {
    const { env, runs } = memoryEnvironment({
      'ctx.njk': '{% set n = ran("ctx") %}{% macro greet() %}Hi {{ user }}{% endmacro %}',
      'page.njk': '{% from "ctx.njk" import greet with context %}{{ greet() }}',
    });
    expect(env.render('page.njk', { user: 'Ann' })).toBe('Hi Ann');
    expect(env.render('page.njk', { user: 'Bo' })).toBe('Hi Bo');
    expect(runs.ctx).toBe(2);
  });

  it('does not remember an import that failed', () => {
    let fail = true;
    const { env, runs } = memoryEnvironment({
      'flaky.njk': '{% set n = ran("flaky") %}{% set x = check() %}{% macro m() %}ok{% endmacro %}',
      'page.njk': '{% from "flaky.njk" import m %}{{ m() }}',
    });
    env.addGlobal('check', () => {
      if (fail) throw new Error('not yet');
      return true;
    });
    expect(() => env.render('page.njk', {})).toThrow(/not yet/);
    fail = false;
    expect(env.render('page.njk', {})).toBe('ok');
    expect(env.render('page.njk', {})).toBe('ok');
    expect(runs.flaky).toBe(2);
  });
});

describe('component markup written out for speed', () => {
  const env = configureNunjucks(express());
  // The same markup when runs of white space count as one space (as they do in HTML between these elements).
  const collapsed = (html: string) => html.replace(/\s+/g, ' ').trim();

  it('pages: the same markup as the GOV.UK pagination component, on the first, a middle and the last page', () => {
    const href = (p: number) => `/cases?view=all&sort=child&page=${p}`;
    for (const [page, pageCount] of [
      [1, 2],
      [2, 2],
      [1, 9],
      [2, 9],
      [5, 9],
      [9, 9],
    ] as const) {
      const pagination = paginationItems(page, pageCount, href);
      const ours = env.renderString('{{ pageLinks(p) }}', { p: pagination });
      expect(collapsed(ours), `page ${page} of ${pageCount}`).toBe(
        collapsed(
          env.renderString(
            '{% from "govuk/components/pagination/macro.njk" import govukPagination %}{{ govukPagination(p) }}',
            { p: pagination },
          ),
        ),
      );
      expect(ours).toContain(`aria-current="page"`);
    }
  });

  it('filters: the same markup as the GOV.UK select component for a label and plain options', () => {
    const items = [
      { value: '', text: 'Any stage' },
      { value: 'drafting_plan', text: 'Drafting the plan', selected: true },
      { value: 'x"<&', text: 'Tom & Jerry’s <b>' },
    ];
    const ours = env.renderString('{{ filterSelect("stage", "Stage", items) }}', { items });
    const theirs = env.renderString(
      '{{ govukSelect({ id: "stage", name: "stage", label: { text: "Stage" }, items: items }) }}',
      {
        items,
      },
    );
    expect(collapsed(ours)).toBe(collapsed(theirs));
  });

  it('buttons: the same markup as the GOV.UK button component, as a link and as a submit button', () => {
    const render = (template: string) => collapsed(env.renderString(template, {}));
    for (const classes of ['govuk-button--secondary', '']) {
      expect(render(`{{ buttonLink("Record a new request", "/requests/new?a=1&b=2", "${classes}") }}`)).toBe(
        render(
          `{{ govukButton({ text: "Record a new request", href: "/requests/new?a=1&b=2", classes: "${classes}" }) }}`,
        ),
      );
      expect(render(`{{ submitButton("Apply <filters>", "${classes}") }}`)).toBe(
        render(`{{ govukButton({ text: "Apply <filters>", classes: "${classes}" }) }}`),
      );
    }
  });

  it('header: the same markup as the GOV.UK generic header, service navigation and phase banner components', () => {
    // The header as the components make it, given what the layout gives them.
    // (The views no longer use these three macros, so they are imported here rather than loaded for every start.)
    const components = `{% from "govuk/components/generic-header/macro.njk" import govukGenericHeader %}
      {% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}
      {% from "govuk/components/phase-banner/macro.njk" import govukPhaseBanner %}
      {% set serviceName = "EHC casework" %}
      <header class="govuk-template__header">
        {{ govukGenericHeader({ logoText: currentUser.laName if currentUser else "OpenEHCP", url: "/" }) }}
        {% set signOutHtml %}
          {% if currentUser %}
            <form method="post" action="/sign-out" class="app-sign-out">
              <input type="hidden" name="_csrf" value="{{ csrfToken() }}">
              <span class="govuk-body-s app-sign-out__name">{{ currentUser.displayName }}</span>
              <button type="submit" class="govuk-button govuk-button--secondary app-sign-out__button" data-module="govuk-button">Sign out</button>
            </form>
          {% endif %}
        {% endset %}
        {{ govukServiceNavigation({
          serviceName: serviceName,
          serviceUrl: "/",
          navigation: navigation,
          slots: { end: { html: signOutHtml, align: 'inline' } if currentUser else undefined }
        }) }}
        <div class="govuk-width-container">
          {{ govukPhaseBanner({
            tag: { text: "Beta" },
            text: "This is a new service. The council and everyone in it are fictional demo data." if demoMode else "This is a new service."
          }) }}
        </div>
      </header>`;
    const header = (html: string) => html.slice(html.indexOf('<header'), html.indexOf('</header>') + 9);
    // Inside a tag, white space before its end is no white space.
    const same = (html: string) => collapsed(html).replace(/ >/g, '>');
    const manager = navigationFor(['manager']);
    const contexts = [
      {},
      { demoMode: true },
      {
        currentUser: { laName: 'Demo County', displayName: 'Sam O’Neil & <Co>' },
        navigation: manager.map((item) => ({ ...item, active: item.href === '/cases' })),
        csrfToken: () => 'a+b/c=&"',
        demoMode: true,
      },
      {
        currentUser: { laName: 'Hertfordshire', displayName: 'Ann Lee' },
        navigation: manager.map((item) => ({ ...item, active: false })),
        csrfToken: () => 'token',
      },
    ];
    for (const context of contexts) {
      const ours = header(
        env.renderString('{% extends "layout.njk" %}{% block main_content %}{% endblock %}', context),
      );
      expect(ours).toContain('</header>');
      expect(same(ours), JSON.stringify(context)).toBe(same(env.renderString(components, context)));
    }
    expect(manager.length).toBeGreaterThan(2);
  });
});
