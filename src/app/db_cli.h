/* `eimza db migrate|copy` (issue 13). */
#ifndef EIMZA_APP_DB_CLI_H
#define EIMZA_APP_DB_CLI_H

/* argv[0] is "db". Exit status: 0 done, 1 failed, 2 usage. */
int app_db_cli_main(int argc, char **argv);

#endif
