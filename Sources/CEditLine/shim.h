#ifndef GUIDE_CEDITLINE_SHIM_H
#define GUIDE_CEDITLINE_SHIM_H

/*
 * Thin wrappers over libedit's native API for Swift.
 *
 * el_set, el_get and history() are C variadic functions, which Swift cannot call: each call form the
 * guide needs has one static inline wrapper here. The C globals stdin, stdout and stderr are mutable
 * globals, which Swift 6 strict concurrency refuses: they are reached through getters.
 *
 * Include <histedit.h>, never <readline/readline.h>: GNU readline's header would compile against the
 * wrong ABI without a word.
 */

#include <stdio.h>
#include <histedit.h>

/* Prompt callback: returns the prompt text for the line being edited. */
typedef char *(*cedit_prompt_fn)(EditLine *);
/* Editor function callback (EL_ADDFN): returns one of the CC_* codes. */
typedef unsigned char (*cedit_command_fn)(EditLine *, int);

/* MARK: standard streams */

static inline FILE *cedit_stdin(void) { return stdin; }
static inline FILE *cedit_stdout(void) { return stdout; }
static inline FILE *cedit_stderr(void) { return stderr; }

/* MARK: el_set / el_get */

/* EL_EDITOR: "emacs" or "vi". */
static inline int cedit_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

/* EL_PROMPT_ESC: the prompt callback; text between two `ignore` characters is printed but takes no room. */
static inline int cedit_set_prompt(EditLine *el, cedit_prompt_fn fn, char ignore) {
    return el_set(el, EL_PROMPT_ESC, fn, ignore);
}

/* EL_SIGNAL: when on, libedit restores the terminal on fatal signals and follows window resizes. */
static inline int cedit_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

/* EL_HIST: the history that Up and Down walk. */
static inline int cedit_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

/* EL_CLIENTDATA: an opaque pointer that callbacks read back with cedit_get_clientdata. */
static inline int cedit_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *cedit_get_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) {
        return NULL;
    }
    return data;
}

/* EL_ADDFN: a named editor function, bindable with cedit_bind. */
static inline int cedit_add_function(EditLine *el, const char *name, const char *help, cedit_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

/* EL_BIND: binds `key` (for example "^I") to the editor function `command`. */
static inline int cedit_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

/* EL_SETTY with one mode flag and one setting, for example ("-d", "-intr"). */
static inline int cedit_setty(EditLine *el, const char *mode, const char *setting) {
    return el_set(el, EL_SETTY, mode, setting, (const char *)NULL);
}

/* MARK: history() */

static inline int cedit_history_set_size(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}

/* H_SETUNIQUE: when on, a line equal to the previous entry is not entered again. */
static inline int cedit_history_set_unique(History *h, int on) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, on);
}

static inline int cedit_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

static inline int cedit_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

static inline int cedit_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

static inline int cedit_history_clear(History *h) {
    HistEvent ev;
    return history(h, &ev, H_CLEAR);
}

#endif
