/* global window, document, navigator, fetch, FormData, URLSearchParams, setTimeout, clearTimeout -- the browser's, this file runs there */
/*
 * The one-page checklist (views/audits/fill.hbs), progressively enhanced: every question's form is sent with fetch as
 * soon as an answer is given (a result tapped; evidence typed, after a pause or when the field is left), and files are
 * uploaded the same way. What was typed is kept in localStorage until the server has acknowledged it, so a dropped
 * connection loses nothing: it is sent again when the browser is back online, or when the page is opened again.
 * Every word shown comes from the page's data- attributes (the i18n catalogs); without this script the page is a list
 * of ordinary forms.
 */
(function () {
  'use strict';
  var root = document.getElementById('fill');
  if (!root || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var words = root.dataset;
  var PAUSE_MS = 1500;
  var FIELDS = ['result', 'evidence', 'statement'];

  function fillIn(template, params) {
    return String(template || '').replace(/\{(\w+)\}/g, function (all, name) {
      return params[name] !== undefined ? params[name] : all;
    });
  }

  function timeOf(iso) {
    try {
      var format = { hour: '2-digit', minute: '2-digit', timeZone: words.timeZone || undefined };
      return new Intl.DateTimeFormat(words.lang === 'en' ? 'en-GB' : 'vi-VN', format).format(new Date(iso));
    } catch {
      return '';
    }
  }

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }
  function keyOf(item) {
    return 'qms-fill:' + words.audit + ':' + item;
  }
  function keep(form) {
    var store = storage();
    if (store) store.setItem(keyOf(form.dataset.item), JSON.stringify(valuesOf(form)));
  }
  function kept(item) {
    var store = storage();
    try {
      return store ? JSON.parse(store.getItem(keyOf(item)) || 'null') : null;
    } catch {
      return null;
    }
  }
  function forget(item) {
    var store = storage();
    if (store) store.removeItem(keyOf(item));
  }

  function valuesOf(form) {
    var checked = form.querySelector('input[name="result"]:checked');
    return {
      result: checked ? checked.value : '',
      evidence: form.elements.evidence.value,
      statement: form.elements.statement.value,
      version: form.elements.version.value,
    };
  }

  /** The same answer (result, evidence, statement), whatever the version. */
  function sameAnswer(a, b) {
    return a.result === b.result && a.evidence === b.evidence && a.statement === b.statement;
  }

  function restore(form, values) {
    var radios = form.querySelectorAll('input[name="result"]');
    for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === values.result;
    form.elements.evidence.value = values.evidence || '';
    form.elements.statement.value = values.statement || '';
    if (values.version) form.elements.version.value = values.version;
  }

  function say(element, message, kind) {
    if (!element) return;
    element.textContent = message;
    element.className = 'fill-status' + (kind ? ' fill-status-' + kind : '');
  }

  function showErrors(form, errors) {
    var item = form.dataset.item;
    FIELDS.concat(['_form']).forEach(function (field) {
      var target = document.getElementById('e-' + item + '-' + field);
      if (!target) return;
      var message = errors[field] || '';
      target.textContent = message;
      if (field === '_form') target.hidden = message === '';
      var input = field === 'result' || field === '_form' ? null : form.elements[field];
      if (input) {
        if (message) input.setAttribute('aria-invalid', 'true');
        else input.removeAttribute('aria-invalid');
      }
    });
  }

  function firstMessage(errors) {
    for (var field in errors) if (Object.prototype.hasOwnProperty.call(errors, field)) return errors[field];
    return '';
  }

  function updateProgress() {
    var progress = document.querySelector('#fill-progress .fill-progress-text');
    var line = document.getElementById('fill-progress');
    if (!progress || !line || !words.progress) return;
    var answered = document.querySelectorAll('form.fill-answer input[name="result"]:checked').length;
    progress.textContent = fillIn(words.progress, { answered: answered, total: line.dataset.total });
  }

  function markAnswered(form) {
    var badge = document.querySelector('[data-state="' + form.dataset.item + '"]');
    var checked = form.querySelector('input[name="result"]:checked');
    if (!badge || !checked) return;
    badge.textContent = words.answered + ': ' + checked.parentNode.textContent.trim();
    badge.className = 'badge badge-ok';
  }

  /** Reads a reply as JSON; a page instead (a sign-in page after the session ended) gives null. */
  function replyOf(response) {
    return response.json().then(
      function (body) {
        return { status: response.status, body: body };
      },
      function () {
        return { status: response.status, body: null };
      },
    );
  }

  function post(form, body) {
    return fetch(form.action, { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(replyOf);
  }

  /** Sends one question's answer; one request at a time per question, the latest answer last. */
  function send(form) {
    if (form.dataset.sending === '1') {
      form.dataset.again = '1';
      return;
    }
    var item = form.dataset.item;
    var status = document.getElementById('s-' + item);
    keep(form);
    var sent = valuesOf(form);
    form.dataset.sending = '1';
    form.dataset.again = '';
    say(status, words.saving, 'busy');
    post(form, new URLSearchParams(new FormData(form)))
      .then(
        function (reply) {
          var body = reply.body;
          if (body && body.ok) {
            form.elements.version.value = String(body.version);
            // typed on while this was sent: still kept, now with the new version
            if (sameAnswer(sent, valuesOf(form))) forget(item);
            else keep(form);
            showErrors(form, {});
            markAnswered(form);
            updateProgress();
            say(status, fillIn(words.saved, { time: timeOf(body.savedAt) }), 'ok');
          } else if (body && body.errors) {
            // refused as typed: kept here until it is corrected and sent again
            showErrors(form, body.errors);
            say(status, fillIn(words.failed, { message: firstMessage(body.errors) }), 'error');
          } else if (body && body.error) {
            // refused for good (no right, gone, changed by someone else): nothing to send again
            forget(item);
            say(status, fillIn(words.failed, { message: body.error }), 'error');
          } else {
            say(status, words.unknown, 'error');
          }
        },
        function () {
          say(status, words.unsent, 'unsent');
        },
      )
      .then(function () {
        form.dataset.sending = '';
        if (form.dataset.again === '1') send(form);
      });
  }

  function upload(form) {
    var item = form.dataset.item;
    var status = document.getElementById('u-' + item);
    var error = document.getElementById('e-' + item + '-file');
    say(status, words.uploading, 'busy');
    // FormData keeps the form's order: the token is the first field, as the server requires for a file
    post(form, new FormData(form)).then(
      function (reply) {
        var body = reply.body;
        if (body && body.ok) {
          var link = document.createElement('a');
          link.href = body.file.url;
          link.textContent = body.file.name;
          var entry = document.createElement('li');
          entry.appendChild(link);
          document.getElementById('files-' + item).appendChild(entry);
          var none = form.parentNode.querySelector('.fill-no-files');
          if (none) none.hidden = true;
          form.reset();
          if (error) error.textContent = '';
          say(status, fillIn(words.uploaded, { name: body.file.name }), 'ok');
        } else if (body && (body.errors || body.error)) {
          var message = body.errors ? firstMessage(body.errors) : body.error;
          if (error) error.textContent = message;
          say(status, fillIn(words.failed, { message: message }), 'error');
        } else {
          say(status, words.unknown, 'error');
        }
      },
      function () {
        say(status, words.fileUnsent, 'unsent');
      },
    );
  }

  var answers = document.querySelectorAll('form.fill-answer');
  Array.prototype.forEach.call(answers, function (form) {
    var timer = null;
    var later = function () {
      keep(form);
      clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        send(form);
      }, PAUSE_MS);
    };
    var now = function () {
      clearTimeout(timer);
      timer = null;
      send(form);
    };
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      now();
    });
    form.addEventListener('change', function (event) {
      if (event.target.name === 'result') now();
    });
    ['evidence', 'statement'].forEach(function (name) {
      var field = form.elements[name];
      field.addEventListener('input', later);
      field.addEventListener('blur', function () {
        if (timer !== null) now();
      });
    });
    // An answer not acknowledged before the page was left: back into the fields, marked unsent, and sent again.
    var unsent = kept(form.dataset.item);
    // already stored (the reply was lost on the way back): nothing to send
    if (unsent && sameAnswer(unsent, valuesOf(form))) {
      forget(form.dataset.item);
      unsent = null;
    }
    if (unsent) {
      restore(form, unsent);
      say(document.getElementById('s-' + form.dataset.item), words.unsent, 'unsent');
      if (navigator.onLine !== false) send(form);
    }
  });
  updateProgress();

  Array.prototype.forEach.call(document.querySelectorAll('form.fill-upload'), function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      upload(form);
    });
    form.elements.file.addEventListener('change', function () {
      if (form.elements.file.files.length > 0) upload(form);
    });
  });

  window.addEventListener('online', function () {
    Array.prototype.forEach.call(answers, function (form) {
      if (kept(form.dataset.item)) send(form);
    });
  });
})();
