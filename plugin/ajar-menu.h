/* ajar-menu.h — "Ajar ▸" in the buddy list menu (a surface: above contact and review). */
#pragma once

#include "ajar-context.h"

/* Adds Ajar's submenu to buddies' and contacts' menus. */
void ajar_menu_connect(AjarPlugin *ajar);
