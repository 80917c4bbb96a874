/* The outbox worker thread and its small scheduler (outbox.h). */
#include "notify/outbox.h"
#include "notify/outbox_secret.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define WORKER_MAX_JOBS 16

struct job {
	void (*fn)(db *d, int64_t now);
	int period;
	int64_t next_run;
};

static struct job jobs[WORKER_MAX_JOBS];
static int njobs;

static pthread_mutex_t worker_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t worker_cond = PTHREAD_COND_INITIALIZER;
static pthread_t worker_thread;
static bool worker_running, worker_stopping;

void outbox_worker_add_job(void (*fn)(db *d, int64_t now), int period_seconds)
{
	pthread_mutex_lock(&worker_lock);
	if (njobs < WORKER_MAX_JOBS && fn != NULL) {
		jobs[njobs].fn = fn;
		jobs[njobs].period = period_seconds > 0 ? period_seconds : 60;
		jobs[njobs].next_run = 0;
		njobs++;
	} else {
		log_error("outbox worker: job table full or job NULL");
	}
	pthread_mutex_unlock(&worker_lock);
}

static void run_jobs(db *d, int64_t now)
{
	for (int i = 0; i < njobs; i++) {
		if (jobs[i].next_run > now)
			continue;
		jobs[i].next_run = now + jobs[i].period;
		jobs[i].fn(d, now);
	}
}

static bool stopping(void)
{
	pthread_mutex_lock(&worker_lock);
	bool s = worker_stopping;
	pthread_mutex_unlock(&worker_lock);
	return s;
}

/* Sleeps poll_ms or until outbox_worker_stop() signals. */
static void nap(int64_t poll_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += poll_ms / 1000;
	ts.tv_nsec += (poll_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&worker_lock);
	while (!worker_stopping) {
		if (pthread_cond_timedwait(&worker_cond, &worker_lock, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&worker_lock);
}

static void *worker_main(void *arg)
{
	(void)arg;
	int64_t poll_ms = config_get_int("outbox.poll_ms");
	if (poll_ms < 10)
		poll_ms = 10;
	log_info("outbox worker: started (poll %lld ms)", (long long)poll_ms);
	int64_t next_housekeep = 0, started = clock_now();
	int orphans_done = 0;
	while (!stopping()) {
		db *d = db_thread();
		if (d == NULL) {
			log_error("outbox worker: no database connection");
			nap(poll_ms * 10);
			continue;
		}
		int64_t now = clock_now();
		if (!orphans_done)
			orphans_done = outbox_requeue_orphans(d, started) >= 0;
		run_jobs(d, now);
		int n = outbox_run_once(d, now);
		if (now >= next_housekeep) {
			next_housekeep = now + OUTBOX_HOUSEKEEP_SECONDS;
			outbox_housekeep(d, now);
		}
		/* A full batch: more may be due, go again without sleeping. */
		if (n > 0 && n >= OUTBOX_BATCH)
			continue;
		nap(poll_ms);
	}
	db_thread_close();
	log_info("outbox worker: stopped");
	return NULL;
}

int outbox_worker_start(const char *db_url)
{
	int rc = -1;
	pthread_mutex_lock(&worker_lock);
	if (worker_running) {
		log_error("outbox worker: already running");
		goto out;
	}
	if (db_url != NULL)
		db_global_init(db_url);
	worker_stopping = false;
	if (pthread_create(&worker_thread, NULL, worker_main, NULL) != 0) {
		log_error("outbox worker: pthread_create failed");
		goto out;
	}
	worker_running = true;
	rc = 0;
out:
	pthread_mutex_unlock(&worker_lock);
	return rc;
}

void outbox_worker_stop(void)
{
	pthread_mutex_lock(&worker_lock);
	if (!worker_running) {
		pthread_mutex_unlock(&worker_lock);
		return;
	}
	worker_stopping = true;
	pthread_cond_broadcast(&worker_cond);
	pthread_mutex_unlock(&worker_lock);
	pthread_join(worker_thread, NULL);
	pthread_mutex_lock(&worker_lock);
	worker_running = false;
	pthread_mutex_unlock(&worker_lock);
}
