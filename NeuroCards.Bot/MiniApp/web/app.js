// The Mini App's client: Telegram's initData on every request, the server's HTML in place, Telegram.WebApp for what only Telegram does.
'use strict';
const tg = window.Telegram.WebApp;
const $ = selector => document.querySelector(selector);
let tab = 'gallery';
let poll = 0;

function api(method, path, body) {
  const headers = { Authorization: 'tma ' + tg.initData };
  if (body) headers['Content-Type'] = 'application/json';
  return fetch('/app/api' + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
}

function toast(html) {
  const t = $('#toast');
  t.innerHTML = html;
  t.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => t.classList.remove('shown'), 3500);
}

function labels(language) {
  document.documentElement.lang = language;
  for (const span of document.querySelectorAll('[data-ru]')) span.textContent = span.dataset[language] || span.dataset.ru;
}

async function show(name, quiet) {
  tab = name;
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
  const r = await api('GET', '/' + name);
  if (r.status === 401) {
    $('#view').innerHTML = '<p class="hint">Откройте галерею из чата с ботом в Telegram (после /start).<br>Open the gallery from the bot\'s chat in Telegram (after /start).</p>';
    return;
  }
  if (!r.ok) { if (!quiet) toast('⚠️'); return; }
  labels(r.headers.get('Content-Language') || 'ru');
  const html = await r.text();
  if (quiet && $('#view').dataset.html === html) return; // a live refresh that changed nothing keeps the page (and a playing video) as it is
  $('#view').dataset.html = html;
  $('#view').innerHTML = html;
}

async function said(r) {
  const body = await r.json().catch(() => ({}));
  if (body.message) toast(body.message);
  else if (!r.ok) toast('⚠️');
  return body;
}

// The balance once the bot has credited the payment (its successful_payment), which may come a moment after Telegram says "paid".
async function awaitCredits(before) {
  for (let i = 0; i < 30; i++) {
    await new Promise(r => setTimeout(r, 1000));
    if (tab !== 'balance') return;
    await show('balance', true);
    const now = $('.balance');
    if (now && now.dataset.balance !== before) { toast(now.dataset.credited); return; }
  }
}

async function act(el, event) {
  const id = el.dataset.id;
  switch (el.dataset.act) {
    case 'send':
      await said(await api('POST', `/videos/${id}/send`));
      break;
    case 'download':
      // Telegram downloads https files itself (downloadFile, Bot API 8.0); elsewhere the link downloads as a link does.
      if (el.href.startsWith('https:') && tg.isVersionAtLeast('8.0')) {
        event.preventDefault();
        tg.downloadFile({ url: el.href, file_name: el.dataset.name });
      }
      break;
    case 'share': {
      const body = await said(await api('POST', `/videos/${id}/share`));
      if (body.id) tg.shareMessage(body.id);
      break;
    }
    case 'batch':
      // Cancelling asks once more on the button itself: no popup a web view might not show.
      if (el.dataset.confirm && !el.dataset.armed) { el.dataset.armed = '1'; el.textContent = el.dataset.confirm; return; }
      await said(await api('POST', `/batches/${id}/${el.dataset.verb}`));
      await show('orders', true);
      break;
    case 'stars': {
      const body = await said(await api('POST', `/topup/${el.dataset.pack}/stars`));
      if (!body.link) break;
      const before = $('.balance').dataset.balance;
      tg.openInvoice(body.link, status => {
        if (status === 'paid') awaitCredits(before);
        else if (status === 'failed') toast($('.balance').dataset.failed);
      });
      break;
    }
    case 'more': {
      // The next page of videos joins the grid; its own «more» button, if any, takes this one's place.
      const r = await api('GET', `/gallery?offset=${el.dataset.offset}`);
      if (!r.ok) { toast('⚠️'); break; }
      const page = document.createElement('template');
      page.innerHTML = await r.text();
      const next = page.content.querySelector('.more');
      if (next) next.remove();
      $('.gallery').append(page.content);
      el.replaceWith(...(next ? [next] : []));
      break;
    }
    case 'card': {
      const body = await said(await api('POST', `/topup/${el.dataset.pack}/card`));
      if (body.url) tg.openLink(body.url);
      break;
    }
  }
}

document.addEventListener('click', e => {
  const tabButton = e.target.closest('#tabs button');
  if (tabButton) { show(tabButton.dataset.tab); return; }
  const el = e.target.closest('[data-act]');
  if (el && el.tagName !== 'FORM') act(el, e);
});

document.addEventListener('submit', async e => {
  const form = e.target.closest('form[data-act=publish]');
  if (!form) return;
  e.preventDefault();
  await said(await api('POST', `/videos/${form.dataset.id}/publish`, { shop: form.shop.value, card: form.card.value }));
});

// Orders and batches are live: looked at again every few seconds while that tab is on screen.
function live() {
  clearInterval(poll);
  poll = setInterval(() => { if (tab === 'orders' && document.visibilityState === 'visible') show('orders', true); }, 4000);
}

tg.ready();
tg.expand();
labels((tg.initDataUnsafe.user && tg.initDataUnsafe.user.language_code || 'ru').startsWith('ru') ? 'ru' : 'en');
show('gallery');
live();
